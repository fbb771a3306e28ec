package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.platform.lpar.LparFirmware;
import org.iommulab.s390.PciDma;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.Test;

/**
 * The old DMA API on an LPAR, seen from the device: a lazily unmapped page stays reachable
 * through the device's IOTLB until the allocator's next wrap, a strictly unmapped one not at all.
 */
class LegacyS390DmaLparTest {

    private static final long PAGE = PciDma.PAGE_SIZE;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final LparFirmware lpar = new LparFirmware();
    private final StaleWindowTracker tracker = new StaleWindowTracker();
    private final Device dev = new Device("nic0");
    private final ZpciFunction fn = lpar.functionBuilder(dev).trace(tracker).build();
    private final IotlbDevice hw = lpar.plug(fn, 64);

    private LegacyS390Dma ops(LegacyDmaOptions options) {
        return new LegacyS390Dma(engine, fn, new TableMemory(), options);
    }

    @Test
    void lazyUnmappedPageStaysReachableUntilTheWrap() {
        LegacyS390Dma ops = ops(LegacyDmaOptions.lazy(PAGE * 64));
        long h = ops.mapPage(cpu, dev, 0x7_0000, PAGE, DmaDirection.FROM_DEVICE, 0);
        assertThat(hw.translate(h, true)).isEqualTo(0x7_0000);
        engine.advanceBy(1_000);
        ops.unmapPage(cpu, dev, h, PAGE, DmaDirection.FROM_DEVICE, 0);
        assertThat(hw.translate(h, true)).as("stale IOTLB entry").isEqualTo(0x7_0000);
        assertThat(lpar.rpcits()).isZero();

        engine.advanceBy(5_000);
        long big = ops.mapPage(cpu, dev, 0x10_0000, 63 * PAGE, DmaDirection.TO_DEVICE, 0);
        assertThat(ops.wraps()).isEqualTo(1);
        assertThat(lpar.rpcits()).isEqualTo(1);
        assertThat(big).as("the freed page is reused only after the global RPCIT").isEqualTo(fn.startDma());
        assertThat(hw.translate(big, false)).isEqualTo(0x10_0000);
        assertThat(hw.translate(big, true)).isEqualTo(IotlbDevice.FAULT_PROTECTION);
        assertThat(tracker.maxWindowNs()).isEqualTo(5_000);
        assertThat(tracker.pendingPages()).isZero();
    }

    @Test
    void strictUnmappedPageIsUnreachableAtOnce() {
        LegacyS390Dma ops = ops(LegacyDmaOptions.strictMode(PAGE * 64));
        long h = ops.mapPage(cpu, dev, 0x7_0000, 2 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(hw.translate(h + PAGE, true)).isEqualTo(0x7_1000);
        engine.advanceBy(1_000);
        ops.unmapPage(cpu, dev, h, 2 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(hw.translate(h + PAGE, true)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(lpar.rpcits()).isEqualTo(1);
        assertThat(fn.iommuCtrs().syncRpcits()).isEqualTo(1);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.maxWindowNs()).isZero();
    }
}
