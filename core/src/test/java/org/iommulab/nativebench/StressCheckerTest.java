package org.iommulab.nativebench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stress checker catches a planted bug: DMA ops over a device with an IOTLB that free an
 * unmapped IOVA at once and never invalidate the IOTLB, while claiming strict invalidation. The
 * same ops with the invalidation put back pass, so the checker is not failing everything.
 */
class StressCheckerTest {

    private static final long PAGE = 4096;
    private static final long BASE = 1L << 32;

    /** A page table, a device IOTLB over it, and an allocator that reuses freed ranges first. */
    private static final class PlantedOps implements DmaOps {
        final boolean invalidates;
        final ConcurrentHashMap<Long, Long> table = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Long, Long> iotlb = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<long[]> free = new ConcurrentLinkedQueue<>();
        final AtomicLong next = new AtomicLong(BASE);

        PlantedOps(boolean invalidates) {
            this.invalidates = invalidates;
        }

        /** Synchronized with unmaps, so a walk cannot refill what an unmap just invalidated. */
        synchronized long translate(long iova, boolean write) {
            long page = iova & -PAGE;
            Long phys = iotlb.get(page);
            if (phys == null) {
                phys = table.get(page);
                if (phys == null) {
                    return -1;
                }
                iotlb.put(page, phys);
            }
            return phys | (iova & (PAGE - 1));
        }

        private long alloc(long pages) {
            for (long[] r : free) {
                if (r[1] == pages && free.remove(r)) {
                    return r[0];
                }
            }
            return next.getAndAdd(pages * PAGE);
        }

        @Override
        public long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs) {
            long pages = (size + PAGE - 1) / PAGE;
            long iova = alloc(pages);
            for (long i = 0; i < pages; i++) {
                table.put(iova + i * PAGE, phys + i * PAGE);
            }
            return iova;
        }

        @Override
        public synchronized void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir,
                long attrs) {
            long pages = (size + PAGE - 1) / PAGE;
            for (long i = 0; i < pages; i++) {
                table.remove(dmaHandle + i * PAGE);
                if (invalidates) {
                    iotlb.remove(dmaHandle + i * PAGE);
                }
            }
            free.add(new long[] {dmaHandle, pages});
        }

        @Override
        public int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
            long pages = sg.totalLength() / PAGE;
            long iova = alloc(pages);
            long at = iova;
            for (int i = 0; i < sg.nents(); i++) {
                for (long off = 0; off < sg.length(i); off += PAGE) {
                    table.put(at, sg.phys(i) + off);
                    at += PAGE;
                }
            }
            sg.setDma(0, iova, (int) (pages * PAGE));
            sg.setDmaNents(1);
            return 1;
        }

        @Override
        public void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
            unmapPage(cpu, dev, sg.dmaAddress(0), sg.dmaLength(0), dir, attrs);
        }
    }

    @ParameterizedTest(name = "invalidates={0}")
    @ValueSource(booleans = {false, true})
    void freeingWithoutFlushingIsCaughtAndTheFixedOpsPass(boolean invalidates) throws InterruptedException {
        PlantedOps ops = new PlantedOps(invalidates);
        Device dev = new Device("planted");
        dev.setDmaMaskBits(64);
        dev.setDmaOps(ops);
        StressTarget target = new StressTarget("planted", dev, DeviceTranslation.uncached(ops::translate), new DomainGeometry(BASE, -1L, true),
                FlushClock.IMMEDIATE, () -> 0);
        try (NativeEngine engine = new NativeEngine(2)) {
            StressResult r = StressRun.runOne(target, engine, 100_000_000L, 3);
            assertThat(r.maps() + r.sgMaps()).isPositive();
            assertThat(r.staleChecks()).isPositive();
            if (invalidates) {
                assertThat(r.violations()).as(r.firstViolations().toString()).isZero();
            } else {
                assertThat(r.violations()).isPositive();
                assertThat(r.firstViolations()).isNotEmpty().allMatch(v -> v.startsWith("planted: "))
                        .anyMatch(v -> v.contains("after the flush covering its unmap"));
            }
        }
    }
}
