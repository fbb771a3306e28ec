package org.iommulab.platform.lpar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.iommulab.dma.DmaIommu;
import org.iommulab.dma.DmaIommuCounters;
import org.iommulab.dma.IommuDma;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCore;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.S390Iommu;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.s390.ZpciIommuCtrs;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Linux guest in LPAR end to end: IOMMU core, dma-iommu and the s390 driver over LPAR firmware and
 * a device with a hardware IOTLB, in strict mode, with per-CPU flush queues (LPAR's default) and
 * with the single queue forced by the global switch. Two CPUs map and unmap at random, the device
 * uses each buffer before it is unmapped (so the IOTLB holds it), and time moves so the flush
 * timers fire. After every step the device reaches every mapped page at its physical address with
 * the permission its direction gives, and no page after the flush that covers its unmap.
 */
class DmaIommuOnLparTest {

    private static final long PAGE = 4096;
    private static final long MS = 1_000_000L;

    enum Mode {
        STRICT,
        PER_CPU,
        SINGLE
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (long seed = 1; seed <= 6; seed++) {
                out.add(Arguments.of(mode, seed));
            }
        }
        return out.stream();
    }

    /** A buffer the guest mapped; {@code flushesAtUnmap} is the flush-queue flush count when it was unmapped. */
    private record Buffer(long handle, long phys, long size, DmaDirection dir, long flushesAtUnmap) {
        long firstPage() {
            return handle & -PAGE;
        }

        long pages() {
            return (((handle + size - 1) & -PAGE) - firstPage()) / PAGE + 1;
        }

        boolean holds(long page) {
            return page >= firstPage() && page < firstPage() + pages() * PAGE;
        }

        Buffer unmappedAt(long flushes) {
            return new Buffer(handle, phys, size, dir, flushes);
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("cases")
    void deviceReachesEveryMappedPageAndNoPageAfterTheFlushCoveringItsUnmap(Mode mode, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ManualEngine engine = new ManualEngine(2);
        StaleWindowTracker tracker = new StaleWindowTracker();
        LparFirmware lpar = new LparFirmware();
        Device dev = new Device("nvme0");
        dev.setDmaMaskBits(64);
        ZpciFunction fn = lpar.functionBuilder(dev).fid(0x10).fh(0x8010).staleWindowTracker(tracker).build();
        IotlbDevice hw = lpar.plug(fn, 32);
        S390Iommu s390 = new S390Iommu(16L << 30, 1, new TableMemory());
        s390.addFunction(fn);
        IommuBootParams params = IommuBootParams.defaults().withStrict(mode == Mode.STRICT)
                .withSingleQueueForAll(mode == Mode.SINGLE);
        IommuDma dma = new IommuDma(engine, params);
        IommuCore core = new IommuCore(params, s390, dma);
        assertThat(core.probeDevice(dev)).isZero();
        DmaIommu ops = dma.dmaIommu(dev);
        assertThat(ops.type()).isEqualTo(mode == Mode.STRICT ? DomainType.DMA : DomainType.DMA_FQ);
        if (mode != Mode.STRICT) {
            assertThat(ops.options()).isEqualTo(
                    mode == Mode.SINGLE ? DmaIommuOptions.singleDefaults() : DmaIommuOptions.perCpuDefaults());
        }

        List<Buffer> mapped = new ArrayList<>();
        List<Buffer> unmapped = new ArrayList<>();
        long nextPhys = 0x8_0000_0000L;
        long pagesMapped = 0;
        DmaDirection[] dirs = {DmaDirection.BIDIRECTIONAL, DmaDirection.TO_DEVICE, DmaDirection.FROM_DEVICE};
        for (int step = 0; step < 250; step++) {
            Cpu cpu = engine.cpu(rnd.nextInt(2));
            int op = rnd.nextInt(10);
            if (op < 4 && mapped.size() < 40 || mapped.isEmpty()) {
                long size = rnd.nextLong(1, 5 * PAGE);
                long phys = nextPhys + rnd.nextLong(PAGE);
                DmaDirection dir = dirs[rnd.nextInt(dirs.length)];
                long handle = ops.mapPage(cpu, dev, phys, size, dir, 0);
                assertThat(handle).isNotEqualTo(DmaOps.DMA_MAPPING_ERROR);
                assertThat(handle).isBetween(fn.startDma(), fn.endDma());
                Buffer b = new Buffer(handle, phys, size, dir, -1);
                mapped.add(b);
                pagesMapped += b.pages();
                nextPhys += 8 * PAGE;
            } else if (op < 8) {
                Buffer b = mapped.remove(rnd.nextInt(mapped.size()));
                hw.translate(b.handle(), false);
                ops.unmapPage(cpu, dev, b.handle(), b.size(), b.dir(), 0);
                unmapped.add(b.unmappedAt(ops.counters().fqFlushes()));
            } else {
                long ns = rnd.nextInt(20) == 0 ? (mode == Mode.SINGLE ? 1_100 : 12) * MS : rnd.nextLong(1, 300_000);
                engine.advanceBy(ns);
            }
            check(mode, ops.counters().fqFlushes(), hw, mapped, unmapped);
            if (unmapped.size() > 64) {
                unmapped.remove(0);
            }
        }
        engine.advanceBy(1_100 * MS);
        check(mode, ops.counters().fqFlushes(), hw, mapped, unmapped);

        assertThat(tracker.pendingPages()).isZero();
        DmaIommuCounters c = ops.counters();
        assertThat(c.occupancy()).isZero();
        ZpciIommuCtrs ctrs = fn.iommuCtrs();
        long pagesLive = mapped.stream().mapToLong(Buffer::pages).sum();
        assertThat(ctrs.mappedPages()).isEqualTo(pagesMapped);
        assertThat(ctrs.unmappedPages()).isEqualTo(pagesMapped - pagesLive);
        assertThat(ctrs.syncMapRpcits()).isZero(); // refresh bit clear: no RPCIT on map
        if (mode == Mode.STRICT) {
            assertThat(ctrs.syncRpcits()).isEqualTo(c.unmaps()).isPositive();
            assertThat(ctrs.globalRpcits()).isZero();
        } else {
            assertThat(ctrs.syncRpcits()).isZero();
            assertThat(ctrs.globalRpcits()).isEqualTo(c.fqFlushes()).isPositive();
        }
        assertThat(lpar.rpcits()).isEqualTo(ctrs.syncRpcits() + ctrs.globalRpcits());
    }

    private static void check(Mode mode, long flushes, IotlbDevice hw, List<Buffer> mapped, List<Buffer> unmapped) {
        for (Buffer b : mapped) {
            for (long off = 0; off < b.size(); off += PAGE) {
                long at = b.handle() + off;
                long read = b.dir() == DmaDirection.FROM_DEVICE ? IotlbDevice.FAULT_PROTECTION : b.phys() + off;
                assertThat(hw.translate(at, false)).as("read 0x%x", at).isIn(read, b.phys() + off);
                long write = b.dir().deviceWrites() ? b.phys() + off : IotlbDevice.FAULT_PROTECTION;
                assertThat(hw.translate(at, true)).as("write 0x%x", at).isEqualTo(write);
            }
        }
        for (Buffer b : unmapped) {
            if (!covered(mode, b, flushes)) {
                continue; // no flush since its unmap: the device may still reach it
            }
            for (long i = 0; i < b.pages(); i++) {
                long page = b.firstPage() + i * PAGE;
                long got = hw.translate(page, false);
                assertThat(got).as("page 0x%x after the flush covering its unmap", page)
                        .isNotEqualTo((b.phys() & -PAGE) + i * PAGE);
                if (!heldByNewer(mode, flushes, mapped, unmapped, b, page)) {
                    assertThat(got).as("unmapped and flushed page 0x%x", page).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
                }
            }
        }
    }

    private static boolean covered(Mode mode, Buffer b, long flushes) {
        return mode == Mode.STRICT || flushes > b.flushesAtUnmap();
    }

    /** A live buffer, or an unmapped one whose flush is still pending, holds {@code page} now. */
    private static boolean heldByNewer(Mode mode, long flushes, List<Buffer> mapped, List<Buffer> unmapped, Buffer b,
            long page) {
        return mapped.stream().anyMatch(o -> o.holds(page))
                || unmapped.stream().anyMatch(o -> o != b && !covered(mode, o, flushes) && o.holds(page));
    }
}
