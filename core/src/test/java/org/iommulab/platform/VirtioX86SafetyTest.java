package org.iommulab.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.iommulab.intel.X86Iommu;
import org.iommulab.intel.X86IommuConfig;
import org.iommulab.intel.X86IommuDomain;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.platform.qemu.VirtioIommuHost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.iommulab.virtio.VirtioIommu;
import org.iommulab.virtio.VirtioIommuConfig;
import org.iommulab.virtio.VirtioIommuDomain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random map/unmap sequences on the virtio-iommu and x86 drivers, called the way the IOMMU core
 * and dma-iommu call them (sync after map; strict: sync after each unmap; lazy: a domain flush
 * now and then, IOVAs reused only after it), with a device touching pages all along. After every
 * step the device reaches every live mapping at its physical address and faults on every page
 * whose covering invalidation has completed, and the stale-window tracker agrees.
 */
class VirtioX86SafetyTest {

    private static final long PAGE = 4096;
    private static final long FAULT = -1L;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String platform : List.of("virtio", "x86")) {
            for (boolean lazy : new boolean[] {false, true}) {
                for (long seed = 1; seed <= 12; seed++) {
                    out.add(Arguments.of(platform, lazy, seed));
                }
            }
        }
        return out.stream();
    }

    /** The driver under test and the device's view through it. */
    private record Platform(IommuDomainOps domain, Translator device) {}

    private interface Translator {
        long translate(long iova, boolean write);
    }

    private record Live(long iova, long phys, long pages, boolean writable) {}

    private static Platform platform(String name, ManualEngine engine, StaleWindowTracker tracker) {
        Device dev = new Device("dev-" + name);
        if (name.equals("virtio")) {
            VirtioIommu viommu = new VirtioIommu(engine, VirtioIommuConfig.defaults().withQueueSize(8), tracker,
                    new VirtioIommuHost(tracker));
            viommu.probeDevice(dev);
            VirtioIommuDomain d = viommu.domainAllocPaging(dev);
            d.attachDev(dev);
            return new Platform(d, d::translate);
        }
        X86Iommu iommu = new X86Iommu(engine, new X86IommuConfig(32, 18, false), tracker, null);
        X86IommuDomain d = iommu.domainAllocPaging(dev);
        d.attachDev(dev);
        return new Platform(d, d::translate);
    }

    @ParameterizedTest(name = "{0} lazy={1} seed={2}")
    @MethodSource("cases")
    void theDeviceReachesLiveMappingsAndNeverAFlushedUnmap(String name, boolean lazy, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ManualEngine engine = new ManualEngine(2);
        StaleWindowTracker tracker = new StaleWindowTracker();
        Platform p = platform(name, engine, tracker);
        Cpu cpu = engine.cpu(rnd.nextInt(2));

        List<Live> live = new ArrayList<>();
        List<Live> awaitingFlush = new ArrayList<>();
        List<Live> flushed = new ArrayList<>();
        ArrayDeque<Long> freeSlots = new ArrayDeque<>();
        long nextSlot = 0;
        long nextPhys = 0x1_0000_0000L;

        for (int step = 0; step < 300; step++) {
            engine.advanceBy(rnd.nextInt(1, 2_000));
            int op = rnd.nextInt(10);
            if (op < 4 && live.size() < 24 || live.isEmpty()) {
                long slot = freeSlots.isEmpty() ? nextSlot++ : freeSlots.pollFirst();
                long pages = rnd.nextInt(1, 17);
                long iova = 0x1000_0000L + slot * 32 * PAGE + rnd.nextInt(0, 16) * PAGE;
                boolean writable = rnd.nextBoolean();
                int prot = IommuProt.READ | (writable ? IommuProt.WRITE : 0);
                assertThat(p.domain.mapPages(cpu, iova, nextPhys, PAGE, pages, prot)).isEqualTo(pages * PAGE);
                assertThat(p.domain.iotlbSyncMap(cpu, iova, pages * PAGE)).isZero();
                live.add(new Live(iova, nextPhys, pages, writable));
                flushed.removeIf(f -> overlaps(f, iova, pages));
                nextPhys += pages * PAGE;
            } else if (op < 7) {
                Live l = live.remove(rnd.nextInt(live.size()));
                IotlbGather gather = new IotlbGather();
                gather.setQueued(lazy);
                assertThat(p.domain.unmapPages(cpu, l.iova, PAGE, l.pages, gather)).isEqualTo(l.pages * PAGE);
                if (lazy) {
                    awaitingFlush.add(l);
                } else {
                    p.domain.iotlbSync(cpu, gather);
                    flushed.add(l);
                    freeSlots.add(slotOf(l));
                }
            } else if (op < 8 && lazy) {
                p.domain.flushIotlbAll(cpu);
                for (Live l : awaitingFlush) {
                    freeSlots.add(slotOf(l));
                }
                flushed.addAll(awaitingFlush);
                awaitingFlush.clear();
            } else {
                Live l = live.get(rnd.nextInt(live.size()));
                p.device.translate(l.iova + rnd.nextLong(l.pages) * PAGE, false); // warms the IOTLB
            }

            for (Live l : live) {
                for (long i = 0; i < l.pages; i++) {
                    long iova = l.iova + i * PAGE;
                    expect(p.device.translate(iova + 0x10, false), l.phys + i * PAGE + 0x10, "read", iova, step);
                    expect(p.device.translate(iova, true), l.writable ? l.phys + i * PAGE : FAULT, "write", iova, step);
                }
            }
            for (Live f : flushed.subList(Math.max(0, flushed.size() - 32), flushed.size())) {
                for (long i = 0; i < f.pages; i++) {
                    expect(p.device.translate(f.iova + i * PAGE, false), FAULT, "flushed", f.iova + i * PAGE, step);
                }
            }
            long awaiting = awaitingFlush.stream().mapToLong(Live::pages).sum();
            assertThat(tracker.pendingPages()).isBetween(0L, awaiting);
        }
        p.domain.flushIotlbAll(cpu);
        assertThat(tracker.pendingPages()).isZero();
    }

    /** A plain check: AssertJ per translation would dominate the run time. */
    private static void expect(long got, long want, String what, long iova, int step) {
        if (got != want) {
            fail(what + " at iova 0x" + Long.toHexString(iova) + " in step " + step + ": got 0x"
                    + Long.toHexString(got) + ", want 0x" + Long.toHexString(want));
        }
    }

    private static long slotOf(Live l) {
        return (l.iova - 0x1000_0000L) / (32 * PAGE);
    }

    private static boolean overlaps(Live f, long iova, long pages) {
        return f.iova < iova + pages * PAGE && iova < f.iova + f.pages * PAGE;
    }
}
