package org.iommulab.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.intel.X86Iommu;
import org.iommulab.intel.X86IommuConfig;
import org.iommulab.intel.X86IommuDomain;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCore;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
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
 * End to end through the IOMMU core and dma-iommu on virtio-iommu and the x86 IOMMU, in strict
 * mode, with per-CPU flush queues and with the single queue (virtio: the driver's
 * {@code shadow_on_flush} option; x86: the global switch the series' author used). Random maps and
 * unmaps from two CPUs, a device touching its buffers, time moving so the flush timers fire. After
 * every step the device reaches every mapped byte at its physical address with the permission its
 * direction gives, and faults on every page whose unmap a finished flush covered.
 */
class DmaIommuOnVirtioX86Test {

    private static final long PAGE = 4096;
    private static final long FAULT = -1L;
    private static final long MS = 1_000_000L;

    enum Mode {
        STRICT,
        PER_CPU,
        SINGLE
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String platform : List.of("virtio", "x86")) {
            for (Mode mode : Mode.values()) {
                for (long seed = 1; seed <= 6; seed++) {
                    out.add(Arguments.of(platform, mode, seed));
                }
            }
        }
        return out.stream();
    }

    private interface Translator {
        long translate(long iova, boolean write);
    }

    /** A buffer the device may use; {@code fqFlushesAtUnmap} is set once it is unmapped. */
    private static final class Buffer {
        final long handle;
        final long phys;
        final long size;
        final DmaDirection dir;
        long fqFlushesAtUnmap = -1;

        Buffer(long handle, long phys, long size, DmaDirection dir) {
            this.handle = handle;
            this.phys = phys;
            this.size = size;
            this.dir = dir;
        }

        long firstPage() {
            return handle & -PAGE;
        }

        long lastPage() {
            return (handle + size - 1) & -PAGE;
        }
    }

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @MethodSource("cases")
    void theDeviceReachesMappedBuffersAndNoPageAfterTheFlushCoveringItsUnmap(String name, Mode mode, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ManualEngine engine = new ManualEngine(2);
        StaleWindowTracker tracker = new StaleWindowTracker();
        IommuBootParams params = IommuBootParams.defaults()
                .withStrict(mode == Mode.STRICT)
                .withSingleQueueForAll(mode == Mode.SINGLE && name.equals("x86"));
        VirtioIommuHost host = new VirtioIommuHost(tracker);
        IommuDriver driver = name.equals("virtio")
                ? new VirtioIommu(engine, VirtioIommuConfig.defaults().withQueueSize(16)
                        .withShadowOnFlush(mode == Mode.SINGLE), tracker, host)
                : new X86Iommu(engine, new X86IommuConfig(64, 18, false), tracker, null);
        DmaIommuLayer dma = new DmaIommuLayer(engine, params);
        IommuCore core = new IommuCore(params, driver, dma);
        Device dev = new Device(name + "-dev");
        dev.setDmaMaskBits(64);
        assertThat(core.probeDevice(dev)).isZero();
        IommuDmaOps ops = dma.dmaIommu(dev);
        assertThat(ops.type()).isEqualTo(mode == Mode.STRICT ? DomainType.DMA : DomainType.DMA_FQ);
        if (mode != Mode.STRICT) {
            assertThat(ops.options()).isEqualTo(
                    mode == Mode.SINGLE ? DmaIommuOptions.singleDefaults() : DmaIommuOptions.perCpuDefaults());
        }
        IommuDomainOps domainOps = core.group(dev).defaultDomain().ops();
        Translator device = domainOps instanceof X86IommuDomain x
                ? x::translate
                : ((VirtioIommuDomain) domainOps)::translate;

        List<Buffer> mapped = new ArrayList<>();
        List<Buffer> unmapped = new ArrayList<>();
        long nextPhys = 0x2_0000_0000L;
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
                mapped.add(new Buffer(handle, phys, size, dir));
                nextPhys += 8 * PAGE;
            } else if (op < 8) {
                Buffer b = mapped.remove(rnd.nextInt(mapped.size()));
                device.translate(b.handle, false); // the device used it last, so x86 caches it
                ops.unmapPage(cpu, dev, b.handle, b.size, b.dir, 0);
                b.fqFlushesAtUnmap = ops.counters().fqFlushes();
                unmapped.add(b);
            } else {
                long ns = rnd.nextInt(20) == 0 ? (mode == Mode.SINGLE ? 1_100 : 12) * MS : rnd.nextLong(1, 300_000);
                engine.advanceBy(ns);
            }
            check(mode, ops, device, mapped, unmapped, step);
        }
        engine.advanceBy(1_100 * MS);
        check(mode, ops, device, mapped, unmapped, -1);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(ops.counters().occupancy()).isZero();
        assertThat(ops.counters().fqFlushes() > 0).isEqualTo(mode != Mode.STRICT);
        if (driver instanceof X86Iommu x86) {
            assertThat(x86.stats().psiDescriptors() > 0).isEqualTo(mode == Mode.STRICT);
            assertThat(x86.stats().dsiDescriptors() > 0).isEqualTo(mode != Mode.STRICT);
        } else {
            VirtioIommu viommu = (VirtioIommu) driver;
            assertThat(viommu.stats().errors()).isZero();
            assertThat(host.pagesUnmapped()).isEqualTo(host.pagesMapped()
                    - pagesOf(mapped));
        }
    }

    private static long pagesOf(List<Buffer> buffers) {
        long pages = 0;
        for (Buffer b : buffers) {
            pages += (b.lastPage() - b.firstPage()) / PAGE + 1;
        }
        return pages;
    }

    private static void check(Mode mode, IommuDmaOps ops, Translator device, List<Buffer> mapped,
            List<Buffer> unmapped, int step) {
        for (Buffer b : mapped) {
            for (long off = 0; off < b.size; off += PAGE) {
                long at = b.handle + off;
                if (b.dir != DmaDirection.FROM_DEVICE) {
                    expect(device.translate(at, false), b.phys + off, "read", at, step);
                }
                expect(device.translate(at, true), b.dir.deviceWrites() ? b.phys + off : FAULT, "write", at, step);
            }
        }
        long flushes = ops.counters().fqFlushes();
        for (Buffer b : unmapped) {
            if (!covered(mode, b, flushes)) {
                continue; // no flush since its unmap: the device may still reach it
            }
            for (long page = b.firstPage(); page <= b.lastPage(); page += PAGE) {
                long got = device.translate(page, false);
                long old = (b.phys & -PAGE) + (page - b.firstPage());
                if (got == old) {
                    fail("page 0x" + Long.toHexString(page) + " still reaches 0x" + Long.toHexString(old)
                            + " after the flush covering its unmap, step " + step);
                }
                if (!reusedSince(mode, mapped, unmapped, b, page, flushes)) {
                    expect(got, FAULT, "unmapped and flushed", page, step);
                }
            }
        }
        if (unmapped.size() > 64) {
            unmapped.subList(0, unmapped.size() - 64).clear();
        }
    }

    private static boolean covered(Mode mode, Buffer b, long flushes) {
        return mode == Mode.STRICT || flushes > b.fqFlushesAtUnmap;
    }

    /** Whether a newer buffer, mapped or unmapped but not yet flushed, holds {@code page}. */
    private static boolean reusedSince(Mode mode, List<Buffer> mapped, List<Buffer> unmapped, Buffer b, long page,
            long flushes) {
        for (Buffer o : mapped) {
            if (page >= o.firstPage() && page <= o.lastPage()) {
                return true;
            }
        }
        for (Buffer o : unmapped) {
            if (o != b && !covered(mode, o, flushes) && page >= o.firstPage() && page <= o.lastPage()) {
                return true;
            }
        }
        return false;
    }

    private static void expect(long got, long want, String what, long iova, int step) {
        if (got != want) {
            fail(what + " at 0x" + Long.toHexString(iova) + " in step " + step + ": got 0x" + Long.toHexString(got)
                    + ", want 0x" + Long.toHexString(want));
        }
    }
}
