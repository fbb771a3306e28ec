package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.IommuDmaOps;
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
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole guest stack on a shadowing hypervisor: dma-iommu over the s390 driver, whose RPCITs
 * the hypervisor handles, with the device translating through the hypervisor's shadow. In strict
 * mode, with per-CPU queues and with the single queue a driver's random map/unmap traffic must
 * leave every live mapping reachable, no page reachable after the flush that covers its unmap,
 * the shadow within the DMA limit and equal to the live mappings after a global refresh, and the
 * guest's RPCIT counters equal to the hypervisor's exits.
 */
class ShadowedDmaEndToEndTest {

    private static final long PAGE = 4096;
    private static final long GUEST_MEMORY = 1L << 30;

    enum Mode { STRICT, PER_CPU, SINGLE }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (String profile : List.of("qemu-8.0", "qemu-7.1", "zvm")) {
                for (long seed = 1; seed <= 4; seed++) {
                    out.add(Arguments.of(mode, profile, seed));
                }
            }
        }
        return out.stream();
    }

    private record Mapping(long handle, long phys, long size, DmaDirection dir) {}

    @ParameterizedTest(name = "{0} on {1} seed {2}")
    @MethodSource("cases")
    void deviceReachesLiveMappingsAndNothingFlushedAndTheShadowFollowsTheGuest(Mode mode, String profile, long seed) {
        ManualEngine engine = new ManualEngine(2);
        ShadowingHypervisor hv = new ShadowingHypervisor(engine, HypervisorProfile.byName(profile));
        Device dev = new Device("nvme0");
        StaleWindowTracker tracker = new StaleWindowTracker();
        ZpciFunction fn = hv.functionBuilder(dev, ZpciFunction.DEFAULT_SDMA, ZpciFunction.DEFAULT_EDMA)
                .fid(1).fh(0x801).trace(tracker).build();
        IotlbDevice hw = hv.plug(fn, 32);
        S390Iommu iommu = new S390Iommu(GUEST_MEMORY, 1, new TableMemory());
        iommu.addFunction(fn);
        IommuBootParams params = IommuBootParams.defaults().withForcedac(true).withStrict(mode == Mode.STRICT);
        DmaIommuLayer dma = new DmaIommuLayer(engine, params, mode == Mode.PER_CPU ? DmaIommuOptions.perCpuDefaults() : null);
        IommuCore core = new IommuCore(params, iommu, dma);
        dev.setDmaMaskBits(64);
        assertThat(core.probeDevice(dev)).isZero();
        IommuDmaOps ops = dma.dmaIommu(dev);
        assertThat(dev.iommu().shadowOnFlush()).isTrue();
        assertThat(ops.type()).isEqualTo(mode == Mode.STRICT ? DomainType.DMA : DomainType.DMA_FQ);
        if (mode != Mode.STRICT) {
            assertThat(ops.options().queueType()).isEqualTo(
                    mode == Mode.SINGLE ? DmaIommuOptions.QueueType.SINGLE : DmaIommuOptions.QueueType.PER_CPU);
        }

        SplittableRandom rnd = new SplittableRandom(seed);
        List<Mapping> live = new ArrayList<>();
        Map<Long, Long> flushesBeforeUnmap = new HashMap<>();
        long nextPhys = 0x4000_0000L;
        for (int step = 0; step < 400; step++) {
            engine.advanceBy(rnd.nextInt(1, 20_000));
            Cpu cpu = engine.cpu(rnd.nextInt(2));
            if (live.isEmpty() || rnd.nextInt(10) < 5 && live.size() < 48) {
                long size = PAGE * rnd.nextInt(1, 5) - rnd.nextInt(0, 64);
                DmaDirection dir = DmaDirection.values()[rnd.nextInt(3)];
                long handle = ops.mapPage(cpu, dev, nextPhys, size, dir, 0);
                assertThat(handle).isNotEqualTo(DmaOps.DMA_MAPPING_ERROR);
                live.add(new Mapping(handle, nextPhys, size, dir));
                for (long p = handle & -PAGE; p < handle + size; p += PAGE) {
                    flushesBeforeUnmap.remove(p);
                }
                nextPhys += 4 * PAGE;
            } else {
                Mapping m = live.remove(rnd.nextInt(live.size()));
                long before = flushesDone(mode, ops, fn.iommuCtrs());
                ops.unmapPage(cpu, dev, m.handle, m.size, m.dir, 0);
                for (long p = m.handle & -PAGE; p < m.handle + m.size; p += PAGE) {
                    flushesBeforeUnmap.put(p, before);
                }
            }
            checkDevice(hw, live, flushesBeforeUnmap, flushesDone(mode, ops, fn.iommuCtrs()), step);
            assertThat(hv.function(fn).shadowEntries()).isLessThanOrEqualTo(hv.dmaEntryLimit());
        }

        // the flush timer ends every pending window with one global RPCIT
        engine.advanceBy(2_000_000_000L);
        checkDevice(hw, live, flushesBeforeUnmap, Long.MAX_VALUE, -1);
        assertThat(tracker.pendingPages()).isZero();
        long livePages = live.stream().mapToLong(m -> ((m.handle + m.size - 1) / PAGE) - m.handle / PAGE + 1).sum();
        assertThat(hv.function(fn).shadowEntries()).isEqualTo(livePages);

        ZpciIommuCtrs ctrs = fn.iommuCtrs();
        HypervisorStats s = hv.stats();
        assertThat(s.exits()).isEqualTo(ctrs.globalRpcits() + ctrs.syncMapRpcits() + ctrs.syncRpcits());
        assertThat(s.insufficientResources()).isZero();
        assertThat(s.hostMaps() - s.hostUnmapPages()).isEqualTo(s.shadowEntries());
        if (mode == Mode.STRICT) {
            assertThat(ctrs.globalRpcits()).isZero();
        } else {
            assertThat(ctrs.syncRpcits()).isZero();
            assertThat(ctrs.globalRpcits()).isEqualTo(ops.counters().fqFlushes());
        }
    }

    /** Flushes that have completed: every unmap before one of them is covered by it. */
    private static long flushesDone(Mode mode, IommuDmaOps ops, ZpciIommuCtrs ctrs) {
        return mode == Mode.STRICT ? ctrs.syncRpcits() : ops.counters().fqFlushes();
    }

    private static void checkDevice(IotlbDevice hw, List<Mapping> live, Map<Long, Long> flushesBeforeUnmap,
            long flushesNow, int step) {
        for (Mapping m : live) {
            for (long off = 0; off < m.size; off += PAGE) {
                long want = m.phys + off;
                expect(hw.translate(m.handle + off, false), want, "read", m.handle + off, step);
                long write = m.dir.deviceWrites() ? want : IotlbDevice.FAULT_PROTECTION;
                expect(hw.translate(m.handle + off, true), write, "write", m.handle + off, step);
            }
        }
        for (Map.Entry<Long, Long> e : flushesBeforeUnmap.entrySet()) {
            if (flushesNow > e.getValue()) {
                expect(hw.translate(e.getKey(), false), IotlbDevice.FAULT_UNMAPPED, "flushed", e.getKey(), step);
            }
        }
    }

    private static void expect(long got, long want, String what, long iova, int step) {
        if (got != want) {
            fail(what + " of 0x" + Long.toHexString(iova) + " at step " + step + ": got 0x"
                    + Long.toHexString(got) + ", want 0x" + Long.toHexString(want));
        }
    }
}
