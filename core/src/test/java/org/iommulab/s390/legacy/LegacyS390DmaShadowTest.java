package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.platform.RpcitFaults;
import org.iommulab.platform.device.DmaTranslationSource;
import org.iommulab.platform.shadow.HypervisorProfile;
import org.iommulab.platform.shadow.ShadowedFunction;
import org.iommulab.platform.shadow.ShadowingHypervisor;
import org.iommulab.s390.PciDma;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.Test;

/**
 * The old DMA API beneath a shadowing hypervisor with a small vfio DMA limit: lazy unmaps leave
 * shadow entries behind until the hypervisor runs out and answers "insufficient resources"; the
 * guest's global refresh lets it drop them and every map still succeeds. The shadow never
 * exceeds the limit and, after every global refresh, holds exactly the live mappings.
 */
class LegacyS390DmaShadowTest {

    private static final long PAGE = PciDma.PAGE_SIZE;
    private static final long LIMIT = 64;
    private static final long MEMORY = 256 * PAGE;
    private static final long HOST_SDMA = ZpciFunction.DEFAULT_SDMA;
    private static final long HOST_EDMA = ZpciFunction.DEFAULT_EDMA;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final StaleWindowTracker tracker = new StaleWindowTracker();
    private final Device dev = new Device("vfio0");

    private record Mapping(long handle, long phys, long size) {}

    private record Run(LegacyS390Dma ops, ZpciFunction fn, ShadowingHypervisor hv) {}

    private Run run(HypervisorProfile profile, boolean strict) {
        ShadowingHypervisor hv = new ShadowingHypervisor(engine, profile, LIMIT, RpcitFaults.NONE);
        ZpciFunction fn = hv.functionBuilder(dev, HOST_SDMA, HOST_EDMA).trace(tracker).build();
        LegacyDmaOptions options = new LegacyDmaOptions(strict, MEMORY, 1);
        LegacyS390Dma ops = new LegacyS390Dma(engine, fn, new TableMemory(), options);
        ArrayDeque<Mapping> live = new ArrayDeque<>();
        ShadowedFunction shadow = hv.function(fn);
        for (int op = 0; op < 1500; op++) {
            engine.advanceBy(100);
            if (live.size() == 4) {
                Mapping m = live.poll();
                ops.unmapPage(cpu, dev, m.handle(), m.size(), DmaDirection.FROM_DEVICE, 0);
            }
            long globalsBefore = fn.iommuCtrs().globalRpcits();
            long phys = (op + 1L) * 16 * PAGE;
            long size = (1 + op % 4) * PAGE;
            long h = ops.mapPage(cpu, dev, phys, size, DmaDirection.FROM_DEVICE, 0);
            assertThat(h).as("op %d", op).isNotEqualTo(LegacyS390Dma.DMA_MAPPING_ERROR);
            live.add(new Mapping(h, phys, size));
            assertThat(shadow.shadowEntries()).isLessThanOrEqualTo(LIMIT);
            for (long off = 0; off < size; off += PAGE) {
                assertThat(shadow.lookup(h + off)).isEqualTo(DmaTranslationSource.translation(phys + off, true));
            }
            if (fn.iommuCtrs().globalRpcits() > globalsBefore || strict) {
                long livePages = live.stream().mapToLong(m -> m.size() / PAGE).sum();
                assertThat(shadow.shadowEntries()).as("op %d: shadow == live after a global refresh", op)
                        .isEqualTo(livePages);
            }
        }
        return new Run(ops, fn, hv);
    }

    @Test
    void lazyUnmapsRunTheHostOutAndTheGlobalRefreshRecovers() {
        Run r = run(HypervisorProfile.QEMU_7_2, false);
        assertThat(r.hv().stats().insufficientResources()).isPositive();
        assertThat(r.fn().iommuCtrs().globalRpcits()).isGreaterThan(r.ops().wraps());
        assertThat(r.fn().iommuCtrs().syncRpcits()).isZero();
        assertThat(r.hv().stats().peakShadowEntries()).isEqualTo(LIMIT);
        assertThat(tracker.maxWindowNs()).isPositive();
    }

    @Test
    void anApertureShrunkToTheLimitLeavesOnlyTheWrapRefreshes() {
        Run r = run(HypervisorProfile.QEMU_8_0, false);
        assertThat(r.fn().endDma() - r.fn().startDma() + 1).isEqualTo(LIMIT * PAGE);
        assertThat(r.hv().stats().insufficientResources()).isZero();
        assertThat(r.ops().wraps()).isPositive();
        assertThat(r.fn().iommuCtrs().globalRpcits()).isEqualTo(r.ops().wraps());
    }

    @Test
    void strictKeepsTheShadowEqualToTheLiveMappings() {
        Run r = run(HypervisorProfile.QEMU_7_2, true);
        assertThat(r.hv().stats().insufficientResources()).isZero();
        assertThat(r.fn().iommuCtrs().globalRpcits()).isZero();
        assertThat(r.fn().iommuCtrs().syncRpcits()).isEqualTo(1500 - 4);
        assertThat(tracker.maxWindowNs()).isZero();
    }
}
