package org.iommulab.platform.lpar;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.fault.FaultInjector;
import org.iommulab.fault.Faults;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.platform.RpcitFaults;
import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.S390Domain;
import org.iommulab.s390.S390Iommu;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.Test;

/** The s390 driver on LPAR firmware, driven directly (no DMA layer above). */
class LparFirmwareTest {

    private static final long SDMA = 1L << 32;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final LparFirmware lpar = new LparFirmware();
    private final Device dev = new Device("nvme0");
    private final StaleWindowTracker tracker = new StaleWindowTracker();
    private final ZpciFunction fn = lpar.functionBuilder(dev).fid(1).fh(0x801).trace(tracker).build();
    private final IotlbDevice hw = lpar.plug(fn, 64);
    private final S390Iommu iommu = new S390Iommu(1L << 34, 1, new TableMemory());
    private S390Domain domain;

    private void attach() {
        iommu.addFunction(fn);
        assertThat(iommu.probeDevice(dev)).isZero();
        domain = (S390Domain) iommu.domainAllocPaging(dev);
        assertThat(domain.attachDev(dev)).isZero();
    }

    @Test
    void anRpcitEndsTheStaleWindowOfExactlyThePagesItsRangeTouches() {
        List<long[]> invalidated = new ArrayList<>();
        LparFirmware firmware = new LparFirmware();
        ZpciFunction traced = firmware.functionBuilder(new Device("nic0")).fid(2).fh(0x802)
                .trace(new IommuTrace() {
                    @Override
                    public void unmapped(long nowNs, long iovaPfn, long pages) {}

                    @Override
                    public void invalidated(long nowNs, long firstPfn, long pages) {
                        invalidated.add(new long[] {firstPfn, pages});
                    }

                    @Override
                    public void invalidatedAll(long nowNs) {}
                }).build();
        assertThat(firmware.rpcit(cpu, traced, SDMA + 0x800, 0x1000).isOk()).isTrue(); // two pages, partly each
        assertThat(invalidated).hasSize(1);
        assertThat(invalidated.get(0)).containsExactly(SDMA >>> 12, 2);
        assertThat(firmware.rpcits()).isEqualTo(1);
    }

    @Test
    void anInjectedAnswerInvalidatesNothing() {
        LparFirmware refusing = new LparFirmware(new RpcitFaults(new FaultInjector(Faults.parse("rpcit-error=1"), 1)));
        ZpciFunction f = refusing.functionBuilder(new Device("nic1")).fid(3).fh(0x803).trace(tracker).build();
        tracker.unmapped(0, SDMA >>> 12, 1);
        assertThat(refusing.rpcit(cpu, f, SDMA, 0x1000).isOk()).isFalse();
        assertThat(tracker.pendingPages()).as("the page stays reachable").isEqualTo(1);
    }

    @Test
    void lparHasNoRefreshSoMapNeedsNoRpcitAndTheDeviceSeesNewPagesAtOnce() {
        attach();
        assertThat(dev.iommu().shadowOnFlush()).isFalse();
        domain.mapPages(cpu, SDMA, 0x40_0000, 4096, 2, IommuProt.READ | IommuProt.WRITE);
        assertThat(domain.iotlbSyncMap(cpu, SDMA, 8192)).isZero();
        assertThat(lpar.rpcits()).isZero();
        assertThat(hw.translate(SDMA + 4100, true)).isEqualTo(0x40_1004L);
    }

    @Test
    void unmappedPageStaysReachableThroughTheIotlbUntilTheFlushThatCoversIt() {
        attach();
        domain.mapPages(cpu, SDMA, 0x40_0000, 4096, 2, IommuProt.WRITE);
        assertThat(hw.translate(SDMA, false)).isEqualTo(0x40_0000L); // now cached

        engine.advanceBy(1000);
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, SDMA, 4096, 2, gather);
        assertThat(hw.translate(SDMA, false)).isEqualTo(0x40_0000L); // stale but cached
        assertThat(hw.translate(SDMA + 4096, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED); // never cached
        assertThat(tracker.pendingPages()).isEqualTo(2);

        engine.advanceBy(5000);
        domain.iotlbSync(cpu, gather);
        assertThat(hw.translate(SDMA, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(lpar.rpcits()).isEqualTo(1);
        assertThat(engine.spent(Cost.RPCIT_LPAR)).isEqualTo(1);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.maxWindowNs()).isEqualTo(5000);
        assertThat(tracker.windowsNs().getTotalCount()).isEqualTo(2);
    }

    @Test
    void aPageRemappedAfterAStrictInvalidationCostsTheDeviceAnotherIotlbMiss() {
        attach();
        domain.mapPages(cpu, SDMA, 0x40_0000, 4096, 1, IommuProt.WRITE);
        hw.translate(SDMA, true);
        hw.translate(SDMA, true);
        assertThat(hw.misses()).as("a hit once cached").isEqualTo(1);
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, SDMA, 4096, 1, gather);
        domain.iotlbSync(cpu, gather);

        domain.mapPages(cpu, SDMA, 0x50_0000, 4096, 1, IommuProt.WRITE);

        assertThat(hw.translate(SDMA, true)).isEqualTo(0x50_0000L);
        assertThat(hw.iotlbMisses()).as("the strict RPCIT dropped the entry: walked again").isEqualTo(2);
    }

    @Test
    void globalFlushEndsEveryWindowInTheAperture() {
        attach();
        domain.mapPages(cpu, SDMA, 0x40_0000, 4096, 8, IommuProt.WRITE);
        for (int i = 0; i < 8; i++) {
            hw.translate(SDMA + i * 4096L, false);
        }
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, SDMA, 4096, 3, gather);
        domain.unmapPages(cpu, SDMA + 5 * 4096, 4096, 1, gather);
        assertThat(hw.iotlb().size()).isEqualTo(8);
        domain.flushIotlbAll(cpu);
        assertThat(hw.iotlb().size()).isZero();
        assertThat(tracker.pendingPages()).isZero();
        assertThat(fn.iommuCtrs().globalRpcits()).isEqualTo(1);
        assertThat(hw.translate(SDMA + 4 * 4096, true)).isEqualTo(0x40_4000L);
    }

    @Test
    void readOnlyMappingFaultsOnDeviceWrite() {
        attach();
        domain.mapPages(cpu, SDMA, 0x40_0000, 4096, 1, IommuProt.READ);
        assertThat(hw.translate(SDMA, true)).isEqualTo(IotlbDevice.FAULT_PROTECTION);
        assertThat(hw.translate(SDMA, false)).isEqualTo(0x40_0000L);
    }

    @Test
    void addressesOutsideTheRegisteredRangeNeverTranslate() {
        attach();
        assertThat(hw.translate(SDMA - 4096, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(hw.translate(fn.endDma() + 1, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
    }

    @Test
    void detachingPurgesTheIotlbSoNothingIsReachable() {
        attach();
        domain.mapPages(cpu, SDMA, 0x40_0000, 4096, 1, IommuProt.WRITE);
        hw.translate(SDMA, false);
        domain.detachDev(dev);
        assertThat(hw.iotlb().size()).isZero();
        assertThat(hw.translate(SDMA, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
    }
}
