package org.iommulab.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.iommulab.intel.X86Iommu;
import org.iommulab.intel.X86IommuConfig;
import org.iommulab.intel.X86IommuDomain;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.platform.qemu.VirtioIommuHost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.iommulab.testing.Concurrently;
import org.iommulab.virtio.VirtioIommu;
import org.iommulab.virtio.VirtioIommuConfig;
import org.iommulab.virtio.VirtioIommuDomain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real threads map, sync, check, unmap, sync and check again on one domain of each driver: the
 * virtio request queue and host, and the x86 tables, IOTLB and invalidation queue, under
 * concurrency. Each thread owns its IOVA range, so whatever another thread's sync carries, its own
 * pages must be reachable after its map's sync and unreachable after its unmap's sync.
 */
class VirtioX86ConcurrencyTest {

    private static final long PAGE = 4096;
    private static final int THREADS = 4;
    private static final int ROUNDS = 1500;

    private interface Translator {
        long translate(long iova, boolean write);
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtio", "x86"})
    void concurrentMapsAndStrictUnmapsKeepEveryThreadsView(String name) throws Exception {
        StaleWindowTracker tracker = new StaleWindowTracker();
        try (NativeEngine engine = new NativeEngine(THREADS)) {
            Device dev = new Device("dev-" + name);
            IommuDomainOps domain;
            Translator device;
            if (name.equals("virtio")) {
                VirtioIommu viommu = new VirtioIommu(engine, VirtioIommuConfig.defaults().withQueueSize(8), tracker,
                    new VirtioIommuHost(tracker));
                VirtioIommuDomain d = viommu.domainAllocPaging(dev);
                d.attachDev(dev);
                domain = d;
                device = d::translate;
            } else {
                X86IommuDomain d = new X86Iommu(engine, new X86IommuConfig(128, 18, false), tracker, null).domainAllocPaging(dev);
                d.attachDev(dev);
                domain = d;
                device = d::translate;
            }
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            Concurrently.run(THREADS, t -> run(engine.cpu(t), 0x1000_0000L + ((long) t << 28), domain, device, start, errors));
            assertThat(errors).isEmpty();
            assertThat(tracker.pendingPages()).isZero();
        }
    }

    private static void run(Cpu cpu, long base, IommuDomainOps domain, Translator device, CyclicBarrier start,
            ConcurrentLinkedQueue<String> errors) {
        SplittableRandom rnd = new SplittableRandom(base);
        try {
            start.await();
        } catch (Exception e) {
            errors.add(e.toString());
            return;
        }
        for (int round = 0; round < ROUNDS && errors.isEmpty(); round++) {
            long iova = base + rnd.nextLong(1 << 16) * PAGE;
            long pages = rnd.nextLong(1, 9);
            long phys = (cpu.id() + 1L) << 36 | (long) round << 16;
            domain.mapPages(cpu, iova, phys, PAGE, pages, IommuProt.READ | IommuProt.WRITE);
            domain.iotlbSyncMap(cpu, iova, pages * PAGE);
            for (long i = 0; i < pages; i++) {
                long got = device.translate(iova + i * PAGE, true);
                if (got != phys + i * PAGE) {
                    errors.add("cpu" + cpu.id() + " round " + round + ": mapped 0x" + Long.toHexString(iova + i * PAGE)
                            + " reaches 0x" + Long.toHexString(got));
                }
            }
            IotlbGather gather = new IotlbGather();
            domain.unmapPages(cpu, iova, PAGE, pages, gather);
            domain.iotlbSync(cpu, gather);
            for (long i = 0; i < pages; i++) {
                long got = device.translate(iova + i * PAGE, false);
                if (got != -1L) {
                    errors.add("cpu" + cpu.id() + " round " + round + ": unmapped 0x"
                            + Long.toHexString(iova + i * PAGE) + " reaches 0x" + Long.toHexString(got));
                }
            }
        }
    }
}
