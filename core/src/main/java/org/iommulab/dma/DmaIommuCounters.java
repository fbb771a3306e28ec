package org.iommulab.dma;

import java.util.concurrent.atomic.LongAdder;
import org.iommulab.kernel.MapFailure;
import org.iommulab.kernel.MapFailureCounts;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.PerCpuCounts;

/**
 * The counters of one dma-iommu domain. Those bumped on every map and unmap are per-CPU
 * ({@link PerCpuCounts}: no atomic instruction on the hot path); the rare ones are LongAdders,
 * which keep CPUs from contending on one cache line. Mainline has no such counters (s390 keeps
 * its own in pci_debug.c); these are what a user of the model asks for.
 */
final class DmaIommuCounters {

    private static final int MAPS = 0;
    private static final int UNMAPS = 1;
    private static final int MAP_SGS = 2;
    private static final int UNMAP_SGS = 3;
    private static final int BYTES_MAPPED = 4;
    private static final int STRICT_SYNCS = 5;

    private final PerCpuCounts perCpu;
    private final MapFailureCounts mapErrors = new MapFailureCounts();
    final LongAdder unmapMismatches = new LongAdder();
    final FlushQueueCounters flushQueues = new FlushQueueCounters();

    DmaIommuCounters(int nrCpus) {
        perCpu = new PerCpuCounts(nrCpus, STRICT_SYNCS + 1);
    }

    /** A {@code map_page} or {@code map_sg} call returned an error, for {@code cause}. */
    void mapFailed(MapFailure cause) {
        mapErrors.add(cause);
    }

    /** A page range of {@code bytes} mapped by {@code map_page}. */
    void mapped(Cpu cpu, long bytes) {
        perCpu.add(cpu, MAPS, 1);
        perCpu.add(cpu, BYTES_MAPPED, bytes);
    }

    /** A scatterlist of {@code bytes} mapped by {@code map_sg}. */
    void mappedSg(Cpu cpu, long bytes) {
        perCpu.add(cpu, MAP_SGS, 1);
        perCpu.add(cpu, BYTES_MAPPED, bytes);
    }

    void unmapped(Cpu cpu) {
        perCpu.add(cpu, UNMAPS, 1);
    }

    void unmappedSg(Cpu cpu) {
        perCpu.add(cpu, UNMAP_SGS, 1);
    }

    /** An unmap without flush queues synced the IOTLB itself. */
    void strictSynced(Cpu cpu) {
        perCpu.add(cpu, STRICT_SYNCS, 1);
    }

    /**
     * A consistent-enough copy for reports, with the flush queues' own counts (kept under their
     * locks); exact once the domain is quiet.
     */
    DmaIommuSnapshot snapshot(long entriesQueued, long entriesFreed, int peakOccupancy, int occupancy) {
        return new DmaIommuSnapshot(perCpu.sum(MAPS), mapErrors.snapshot(), perCpu.sum(UNMAPS), perCpu.sum(MAP_SGS),
                perCpu.sum(UNMAP_SGS), unmapMismatches.sum(), perCpu.sum(BYTES_MAPPED), perCpu.sum(STRICT_SYNCS), entriesQueued,
                entriesFreed, flushQueues.queueFullFlushes(), flushQueues.timerFlushes(),
                flushQueues.overflows(), flushQueues.entriesLost(),
                peakOccupancy, occupancy);
    }
}
