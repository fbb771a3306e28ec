package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.iommulab.ideal.IdealDomain;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The DMA layer's safety invariants under random map, unmap and time steps on several CPUs, for
 * strict invalidation, per-CPU queues and the single queue: no IOVA is mapped again before a flush
 * that started after its unmap has finished (checked by the driver at every map), live ranges never
 * overlap and stay inside the aperture, and every queued entry is either freed or still queued.
 */
class DmaIommuSafetyTest {

    private static final int CPUS = 4;
    private static final int STEPS = 3000;
    /** A 64 MiB aperture, so IOVAs are reused often and the allocator sometimes runs dry. */
    private static final long APERTURE_END = (64L << 20) - 1;

    static Stream<Arguments> seeds() {
        return FlushMode.all().stream()
                .flatMap(mode -> IntStream.range(0, 20).mapToObj(seed -> Arguments.of(mode, seed)));
    }

    private record Live(long handle, long size) {}

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void noIovaIsReusedBeforeItsFlushAndRangesNeverOverlap(FlushMode mode, int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ManualEngine engine = new ManualEngine(CPUS);
        IdealIommu.Config config = IdealIommu.Config.defaults()
                .withGeometry(new DomainGeometry(0, APERTURE_END, true))
                .withCheckSafety(true);
        TestMachine m = mode.machine(engine, config);
        Device dev = new Device("dev" + seed);
        IommuDmaOps ops = m.probe(dev);
        assertThat(ops.type()).isEqualTo(mode.type());
        IdealDomain pt = m.lastDomain();
        List<Live> live = new ArrayList<>();
        TreeMap<Long, Long> ranges = new TreeMap<>();
        long failures = 0;

        for (int step = 0; step < STEPS; step++) {
            Cpu cpu = engine.cpu(rnd.nextInt(CPUS));
            int op = rnd.nextInt(10);
            if (op < 5) {
                long size = 1 + rnd.nextLong(rnd.nextBoolean() ? 0x2000 : 0x40000);
                long phys = rnd.nextLong(1L << 40);
                long h = ops.mapPage(cpu, dev, phys, size, DmaDirection.FROM_DEVICE, 0);
                if (h == DmaOps.DMA_MAPPING_ERROR) {
                    failures++;
                    continue;
                }
                long start = h & ~0xfffL;
                long end = (h + size - 1) | 0xfff;
                assertThat(start).isGreaterThan(0);
                assertThat(end).isLessThanOrEqualTo(APERTURE_END);
                Map.Entry<Long, Long> below = ranges.floorEntry(end);
                assertThat(below == null || below.getValue() < start)
                        .as("range [%x, %x] overlaps a live one", start, end).isTrue();
                ranges.put(start, end);
                live.add(new Live(h, size));
                assertThat(pt.iovaToPhys(h)).isEqualTo(phys);
            } else if (op < 9 && !live.isEmpty()) {
                Live l = live.remove(rnd.nextInt(live.size()));
                ops.unmapPage(cpu, dev, l.handle(), l.size(), DmaDirection.FROM_DEVICE, 0);
                ranges.remove(l.handle() & ~0xfffL);
            } else {
                engine.advanceBy(rnd.nextLong(1_500_000));
            }
        }

        assertThat(pt.checker().violations()).as("%s", pt.checker().messages()).isZero();
        DmaIommuSnapshot n = ops.counters();
        assertThat(n.maps()).isEqualTo(live.size() + n.unmaps());
        assertThat(n.mapErrors()).isEqualTo(failures);
        assertThat(n.unmapMismatches()).isZero();
        assertThat(n.fqOverflows()).isZero();
        assertThat(n.entriesQueued()).isEqualTo(n.entriesFreed() + n.occupancy());
        if (mode.strict()) {
            assertThat(n.strictSyncs()).isEqualTo(n.unmaps());
            assertThat(n.entriesQueued()).isZero();
        } else {
            assertThat(n.entriesQueued()).isEqualTo(n.unmaps());
            assertThat(n.peakOccupancy()).isLessThan(mode.options().fqSize());
            assertThat(n.timerFlushes()).as("timer flushes").isPositive();
            if (mode.kernelQueues()) {
                assertThat(n.fqFlushes()).isEqualTo(pt.flushAlls());
                assertThat(n.queueFullFlushes()).as("queue-full flushes").isPositive();
            } else {
                assertThat(pt.flushAlls()).as("global flushes").isLessThanOrEqualTo(n.fqFlushes());
                assertThat(pt.flushAlls() + pt.iotlbSyncs()).as("every queue flush invalidated")
                        .isGreaterThanOrEqualTo(n.fqFlushes());
            }
        }
    }
}
