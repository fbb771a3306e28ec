package org.iommulab.platform.lpar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.DmaIommuSnapshot;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCore;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.platform.device.RandomDmaRun;
import org.iommulab.s390.S390Iommu;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.s390.ZpciIommuCtrs;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Linux guest in LPAR end to end: IOMMU core, dma-iommu and the s390 driver over LPAR firmware and
 * a device with a hardware IOTLB, in strict mode, with per-CPU flush queues (LPAR's default) and
 * with the single queue forced by the global switch, under {@link RandomDmaRun}: the device reaches
 * every mapped page and no page after the flush that covers its unmap; the stale windows all close
 * and the debugfs counters agree with what dma-iommu did.
 */
class DmaIommuOnLparTest {

    private static final long MS = 1_000_000L;

    enum Mode {
        STRICT,
        PER_CPU,
        SINGLE
    }

    static Stream<Arguments> cases() {
        return Stream.of(Mode.values()).flatMap(m -> LongStream.rangeClosed(1, 6).mapToObj(seed -> Arguments.of(m, seed)));
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("cases")
    void deviceReachesEveryMappedPageAndNoPageAfterTheFlushCoveringItsUnmap(Mode mode, long seed) {
        ManualEngine engine = new ManualEngine(2);
        StaleWindowTracker tracker = new StaleWindowTracker();
        LparFirmware lpar = new LparFirmware();
        Device dev = new Device("nvme0");
        dev.setDmaMaskBits(64);
        ZpciFunction fn = lpar.functionBuilder(dev).fid(0x10).fh(0x8010).trace(tracker).build();
        IotlbDevice hw = lpar.plug(fn, 32);
        S390Iommu s390 = new S390Iommu(16L << 30, 1, new TableMemory());
        s390.addFunction(fn);
        IommuBootParams params = IommuBootParams.defaults().withStrict(mode == Mode.STRICT)
                .withSingleQueueForAll(mode == Mode.SINGLE);
        DmaIommuLayer dma = new DmaIommuLayer(engine, params);
        IommuCore core = new IommuCore(params, s390, dma);
        assertThat(core.probeDevice(dev)).isZero();
        IommuDmaOps ops = dma.dmaIommu(dev);
        assertThat(ops.type()).isEqualTo(mode == Mode.STRICT ? DomainType.DMA : DomainType.DMA_FQ);
        if (mode != Mode.STRICT) {
            assertThat(ops.options()).isEqualTo(
                    mode == Mode.SINGLE ? DmaIommuOptions.singleDefaults() : DmaIommuOptions.perCpuDefaults());
        }
        assertThat(s390.getResvRegions(dev)).hasSize(2);

        RandomDmaRun run = new RandomDmaRun(engine, dev, ops, hw::translate, mode == Mode.STRICT, seed);
        run.run(250, (mode == Mode.SINGLE ? 1_100 : 12) * MS);
        run.drain(1_100 * MS);

        assertThat(tracker.pendingPages()).isZero();
        DmaIommuSnapshot c = ops.counters();
        assertThat(c.occupancy()).isZero();
        ZpciIommuCtrs ctrs = fn.iommuCtrs();
        assertThat(ctrs.mappedPages()).isEqualTo(run.pagesMapped());
        assertThat(ctrs.unmappedPages()).isEqualTo(run.pagesMapped() - run.pagesLive());
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

    @Test
    void ismStaysStrictEvenWhenLazyInvalidationIsTheDefault() {
        ManualEngine engine = new ManualEngine(1);
        LparFirmware lpar = new LparFirmware();
        Device dev = new Device("ism0");
        dev.setDmaMaskBits(64);
        ZpciFunction fn = lpar.functionBuilder(dev).ism(true).build();
        IotlbDevice hw = lpar.plug(fn, 8);
        S390Iommu s390 = new S390Iommu(1L << 30, 1, new TableMemory());
        s390.addFunction(fn);
        IommuBootParams params = IommuBootParams.defaults().withStrict(false);
        DmaIommuLayer dma = new DmaIommuLayer(engine, params);
        assertThat(new IommuCore(params, s390, dma).probeDevice(dev)).isZero();
        IommuDmaOps ops = dma.dmaIommu(dev);
        assertThat(ops.type()).isEqualTo(DomainType.DMA);

        long handle = ops.mapPage(engine.cpu(0), dev, 0x5000, 4096, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(hw.translate(handle, true)).isEqualTo(0x5000L);
        ops.unmapPage(engine.cpu(0), dev, handle, 4096, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(hw.translate(handle, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(fn.iommuCtrs().syncRpcits()).isEqualTo(1);
        assertThat(fn.iommuCtrs().globalRpcits()).isZero();
    }
}
