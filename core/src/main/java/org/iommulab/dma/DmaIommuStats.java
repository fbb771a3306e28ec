package org.iommulab.dma;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one dma-iommu domain, bumped on the hot paths from any CPU. LongAdder keeps
 * CPUs from contending on one cache line for counters only ever summed when read. Mainline has no
 * such counters (s390 keeps its own in pci_debug.c); these are what a user of the model asks for.
 */
final class DmaIommuStats {

    final LongAdder maps = new LongAdder();
    final LongAdder mapErrors = new LongAdder();
    final LongAdder unmaps = new LongAdder();
    final LongAdder mapSgs = new LongAdder();
    final LongAdder unmapSgs = new LongAdder();
    final LongAdder unmapMismatches = new LongAdder();
    final LongAdder bytesMapped = new LongAdder();
    final LongAdder strictSyncs = new LongAdder();
    final LongAdder queueFullFlushes = new LongAdder();
    final LongAdder timerFlushes = new LongAdder();
    final LongAdder fqOverflows = new LongAdder();
    final LongAdder entriesLost = new LongAdder();

    /**
     * A consistent-enough copy for reports, with the flush queues' own counts (kept under their
     * locks); exact once the domain is quiet.
     */
    DmaIommuCounters snapshot(long entriesQueued, long entriesFreed, int peakOccupancy, int occupancy) {
        return new DmaIommuCounters(maps.sum(), mapErrors.sum(), unmaps.sum(), mapSgs.sum(), unmapSgs.sum(), unmapMismatches.sum(),
                bytesMapped.sum(), strictSyncs.sum(), entriesQueued, entriesFreed,
                queueFullFlushes.sum(), timerFlushes.sum(), fqOverflows.sum(), entriesLost.sum(), peakOccupancy,
                occupancy);
    }
}
