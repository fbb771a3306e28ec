package org.iommulab.s390;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.Test;

class S390IommuTest {

    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;
    private static final long SDMA = 4 * GIB;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final ScriptedRpcit rpcit = new ScriptedRpcit();
    private final Device dev = new Device("nvme0");

    private S390Iommu iommu(long memory, int factor, ZpciFunction fn) {
        S390Iommu iommu = new S390Iommu(memory, factor, new TableMemory());
        iommu.addFunction(fn);
        return iommu;
    }

    private ZpciFunction.Builder fn() {
        return ZpciFunction.builder(dev, rpcit).fid(7).fh(0x4007);
    }

    private S390Domain attached(S390Iommu iommu) {
        S390Domain d = (S390Domain) iommu.domainAllocPaging(dev);
        assertThat(d.attachDev(dev)).isZero();
        return d;
    }

    // ---- aperture (zpci_init_iommu)

    @Test
    void apertureIsMemorySizeTimesFactorAboveStartDma() {
        ZpciFunction f = fn().build();
        iommu(16 * GIB, 1, f);
        assertThat(f.startDma()).isEqualTo(SDMA);
        assertThat(f.endDma()).isEqualTo(SDMA + 16 * GIB - 1);
    }

    @Test
    void apertureFactorScalesAndZeroMeansUnlimitedUpTo4TiB() {
        ZpciFunction f3 = fn().build();
        iommu(16 * GIB, 3, f3);
        assertThat(f3.endDma()).isEqualTo(SDMA + 48 * GIB - 1);

        ZpciFunction f0 = fn().build();
        S390Iommu unlimited = iommu(16 * GIB, 0, f0);
        assertThat(unlimited.s390IommuAperture()).isEqualTo(-1L);
        assertThat(f0.endDma()).isEqualTo(4 * TIB - 1); // clipped to 4 TiB - start_dma
    }

    @Test
    void apertureIsClippedToTheHardwareRangeAndStartDmaIsPageAligned() {
        ZpciFunction f = fn().dmaRange(SDMA + 1, SDMA + 256L * 1024 * 1024 - 1).build();
        iommu(64 * GIB, 1, f);
        assertThat(f.startDma()).isEqualTo(SDMA + 4096);
        assertThat(f.endDma()).isEqualTo(SDMA + 256L * 1024 * 1024 - 1);
    }

    @Test
    void hugeMemoryIsClippedTo4TiB() {
        ZpciFunction f = fn().build();
        iommu(8 * TIB, 1, f);
        assertThat(f.endDma()).isEqualTo(4 * TIB - 1);
    }

    // ---- probe, capabilities, geometry, reserved regions

    @Test
    void probeSetsShadowOnFlushOnlyWithTlbRefresh() {
        S390Iommu lpar = iommu(GIB, 1, fn().build());
        assertThat(lpar.probeDevice(dev)).isZero();
        assertThat(dev.iommu().shadowOnFlush()).isFalse();

        Device guest = new Device("vfio0");
        S390Iommu kvm = new S390Iommu(GIB, 1, new TableMemory());
        kvm.addFunction(ZpciFunction.builder(guest, rpcit).tlbRefresh(true).build());
        assertThat(kvm.probeDevice(guest)).isZero();
        assertThat(guest.iommu().shadowOnFlush()).isTrue();
        assertThat(kvm.probeDevice(new Device("stranger"))).isEqualTo(-Errno.ENODEV);
    }

    @Test
    void ismHasNoDeferredFlushSoItStaysStrict() {
        S390Iommu normal = iommu(GIB, 1, fn().build());
        assertThat(normal.capable(dev, IommuCap.DEFERRED_FLUSH)).isTrue();
        assertThat(normal.capable(dev, IommuCap.CACHE_COHERENCY)).isTrue();

        Device ismDev = new Device("ism0");
        S390Iommu withIsm = new S390Iommu(GIB, 1, new TableMemory());
        withIsm.addFunction(ZpciFunction.builder(ismDev, rpcit).ism(true).build());
        assertThat(withIsm.capable(ismDev, IommuCap.DEFERRED_FLUSH)).isFalse();
    }

    @Test
    void geometryIsForced4TiBWith4KiBPagesAndReservedHolesAroundTheAperture() {
        S390Iommu iommu = iommu(16 * GIB, 1, fn().build());
        S390Domain d = attached(iommu);
        assertThat(d.geometry().apertureStart()).isZero();
        assertThat(d.geometry().apertureEnd()).isEqualTo(4 * TIB - 1);
        assertThat(d.geometry().forceAperture()).isTrue();
        assertThat(d.pgsizeBitmap()).isEqualTo(4096);
        assertThat(iommu.getResvRegions(dev)).containsExactly(
                new ReservedRegion(0, SDMA, ReservedRegion.Type.RESERVED),
                new ReservedRegion(SDMA + 16 * GIB, 4 * TIB - SDMA - 16 * GIB, ReservedRegion.Type.RESERVED));
    }

    @Test
    void noUpperHoleWhenTheApertureReaches4TiB() {
        ZpciFunction f = fn().dmaRange(0, ZpciFunction.DEFAULT_EDMA).build();
        S390Iommu iommu = iommu(16 * GIB, 0, f);
        assertThat(iommu.getResvRegions(dev)).isEmpty();
    }

    // ---- map, unmap, iova_to_phys

    @Test
    void mapSetsProtectionUnlessWritableAndCountsPages() {
        S390Iommu iommu = iommu(16 * GIB, 1, fn().build());
        S390Domain d = attached(iommu);
        assertThat(d.mapPages(cpu, SDMA, 0x10_0000, 4096, 2, IommuProt.READ)).isEqualTo(8192);
        assertThat(d.mapPages(cpu, SDMA + 8192, 0x20_0000, 4096, 1, IommuProt.READ | IommuProt.WRITE)).isEqualTo(4096);

        assertThat(d.dmaTable().translate(SDMA + 4096)).isEqualTo(0x10_1000L | PciDma.ZPCI_TABLE_PROTECTED);
        assertThat(d.dmaTable().translate(SDMA + 8192)).isEqualTo(0x20_0000L);
        assertThat(d.iovaToPhys(SDMA + 4096 + 0x123)).isEqualTo(0x10_1123L);
        assertThat(d.iovaToPhys(SDMA + 3 * 4096)).isZero();
        assertThat(d.ctrs().mappedPages()).isEqualTo(3);
        assertThat(iommu.function(dev).iommuCtrs()).isSameAs(d.ctrs());
        assertThat(iommu.function(dev).ioat()).isSameAs(d.dmaTable());
    }

    @Test
    void mapRejectsOtherPageSizesMisalignmentAndAddressesBeyond4TiB() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().build()));
        assertThat(d.mapPages(cpu, SDMA, 0, 8192, 1, IommuProt.READ)).isEqualTo(-Errno.EINVAL);
        assertThat(d.mapPages(cpu, SDMA + 1, 0, 4096, 1, IommuProt.READ)).isEqualTo(-Errno.EINVAL);
        assertThat(d.mapPages(cpu, SDMA, 0x800, 4096, 1, IommuProt.READ)).isEqualTo(-Errno.EINVAL);
        assertThat(d.mapPages(cpu, 4 * TIB - 4096, 0, 4096, 2, IommuProt.READ)).isEqualTo(-Errno.EINVAL);
        assertThat(d.ctrs().mappedPages()).isZero();
    }

    @Test
    void mapUndoesTheWholeRangeWhenATableCannotBeAllocated() {
        // room for the region table, one segment table and one page table: the 257th page needs a second
        S390Iommu iommu = new S390Iommu(16 * GIB, 1, new TableMemory(2 * 16384 + 2048));
        iommu.addFunction(fn().build());
        S390Domain d = attached(iommu);
        assertThat(d.mapPages(cpu, SDMA, 0x100_0000, 4096, 257, IommuProt.WRITE)).isEqualTo(-Errno.ENOMEM);
        for (long p = 0; p < 256; p++) {
            assertThat(d.iovaToPhys(SDMA + p * 4096)).isZero();
        }
        assertThat(d.ctrs().mappedPages()).isZero();
    }

    @Test
    void theFirstAndLastPagesOfTheTablesMapAndNothingBeyond() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().build()));
        assertThat(d.mapPages(cpu, 4 * TIB - 4096, 0x10_0000, 4096, 1, IommuProt.READ)).isEqualTo(4096);
        assertThat(d.iovaToPhys(4 * TIB - 4096)).isEqualTo(0x10_0000L);
        assertThat(d.mapPages(cpu, 0, 0x20_0000, 4096, 1, IommuProt.READ)).isEqualTo(4096);
        assertThat(d.iovaToPhys(0)).isEqualTo(0x20_0000L);
        assertThat(d.mapPages(cpu, 4 * TIB, 0x30_0000, 4096, 1, IommuProt.READ)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void theUndoOfAFailedMapLeavesTheNeighbouringMappingAlone() {
        S390Iommu iommu = new S390Iommu(16 * GIB, 1, new TableMemory(2 * 16384 + 2048));
        iommu.addFunction(fn().build());
        S390Domain d = attached(iommu);
        assertThat(d.mapPages(cpu, SDMA, 0x200_0000, 4096, 1, IommuProt.WRITE)).isEqualTo(4096);
        // pages 1..256: the last needs a second page table, which does not fit
        assertThat(d.mapPages(cpu, SDMA + 4096, 0x100_0000, 4096, 256, IommuProt.WRITE)).isEqualTo(-Errno.ENOMEM);
        assertThat(d.iovaToPhys(SDMA)).as("the page before the failed range").isEqualTo(0x200_0000L);
        assertThat(d.iovaToPhys(SDMA + 4096)).isZero();
        assertThat(d.ctrs().mappedPages()).isEqualTo(1);
    }

    @Test
    void unmapInvalidatesGathersAndTellsTheStaleWindowTracker() {
        StaleWindowTracker tracker = new StaleWindowTracker();
        S390Domain d = attached(iommu(16 * GIB, 1, fn().trace(tracker).build()));
        d.mapPages(cpu, SDMA, 0x10_0000, 4096, 4, IommuProt.WRITE);
        IotlbGather gather = new IotlbGather();
        assertThat(d.unmapPages(cpu, SDMA + 4096, 4096, 2, gather)).isEqualTo(8192);
        assertThat(gather.start()).isEqualTo(SDMA + 4096);
        assertThat(gather.end()).isEqualTo(SDMA + 3 * 4096 - 1);
        assertThat(d.iovaToPhys(SDMA + 4096)).isZero();
        assertThat(d.iovaToPhys(SDMA)).isEqualTo(0x10_0000L);
        assertThat(d.ctrs().unmappedPages()).isEqualTo(2);
        assertThat(tracker.pendingPages()).isEqualTo(2);
        assertThat(rpcit.calls()).isEmpty(); // unmap alone never flushes
        assertThat(d.unmapPages(cpu, 4 * TIB - 4096, 4096, 2, gather)).isZero();
    }

    // ---- RPCIT paths

    @Test
    void iotlbSyncIssuesOneRpcitOverTheGatheredRange() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().build()));
        d.mapPages(cpu, SDMA, 0x10_0000, 4096, 8, IommuProt.WRITE);
        IotlbGather gather = new IotlbGather();
        d.unmapPages(cpu, SDMA + 4096, 4096, 1, gather);
        d.unmapPages(cpu, SDMA + 3 * 4096, 4096, 2, gather);
        d.iotlbSync(cpu, gather);
        assertThat(rpcit.calls()).containsExactly(
                new ScriptedRpcit.Call(d.devices().get(0), SDMA + 4096, 4 * 4096));
        assertThat(d.ctrs().syncRpcits()).isEqualTo(1);

        d.iotlbSync(cpu, new IotlbGather()); // nothing gathered: nothing to flush
        assertThat(rpcit.calls()).hasSize(1);
    }

    @Test
    void flushIotlbAllRefreshesStartDmaToEndDma() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().build()));
        d.flushIotlbAll(cpu);
        assertThat(rpcit.calls()).containsExactly(new ScriptedRpcit.Call(d.devices().get(0), SDMA, 16 * GIB));
        assertThat(d.ctrs().globalRpcits()).isEqualTo(1);
    }

    @Test
    void syncMapDoesNothingWithoutTlbRefresh() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().build()));
        assertThat(d.iotlbSyncMap(cpu, SDMA, 4096)).isZero();
        assertThat(rpcit.calls()).isEmpty();
        assertThat(d.ctrs().syncMapRpcits()).isZero();
    }

    @Test
    void syncMapRefreshesTheNewRangeWithTlbRefreshRetryingBusy() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().tlbRefresh(true).build()));
        rpcit.script(RpcitResult.BUSY, RpcitResult.OK);
        assertThat(d.iotlbSyncMap(cpu, SDMA + 8192, 3 * 4096)).isZero();
        ZpciFunction f = d.devices().get(0);
        assertThat(rpcit.calls()).containsExactly(
                new ScriptedRpcit.Call(f, SDMA + 8192, 3 * 4096), new ScriptedRpcit.Call(f, SDMA + 8192, 3 * 4096));
        assertThat(d.ctrs().syncMapRpcits()).isEqualTo(1);
    }

    @Test
    void syncMapOutOfResourcesFallsBackToAGlobalRefreshThatSucceeds() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().tlbRefresh(true).build()));
        rpcit.script(RpcitResult.INSUFFICIENT_RESOURCES, RpcitResult.OK);
        assertThat(d.iotlbSyncMap(cpu, SDMA, 4096)).isZero();
        ZpciFunction f = d.devices().get(0);
        assertThat(rpcit.calls()).containsExactly(
                new ScriptedRpcit.Call(f, SDMA, 4096), new ScriptedRpcit.Call(f, SDMA, 16 * GIB));
        assertThat(d.ctrs().syncMapRpcits()).isEqualTo(1);
        assertThat(d.ctrs().globalRpcits()).isZero(); // the fallback is not counted as a Global RPCIT
    }

    /**
     * Two functions in one domain: the first's RPCIT runs out of resources and its global refresh
     * succeeds, so the loop goes on and the second function's new mapping is refreshed too (else
     * its hypervisor would never shadow it).
     */
    @Test
    void aGlobalRefreshThatSucceedsGoesOnToTheNextFunction() {
        Device other = new Device("nvme1");
        S390Iommu iommu = iommu(16 * GIB, 1, fn().tlbRefresh(true).build());
        iommu.addFunction(ZpciFunction.builder(other, rpcit).fid(8).fh(0x4008).tlbRefresh(true).build());
        S390Domain d = attached(iommu);
        assertThat(d.attachDev(other)).isZero();
        rpcit.script(RpcitResult.INSUFFICIENT_RESOURCES, RpcitResult.OK, RpcitResult.OK);
        assertThat(d.iotlbSyncMap(cpu, SDMA, 4096)).isZero();
        ZpciFunction first = iommu.function(dev);
        ZpciFunction second = iommu.function(other);
        assertThat(rpcit.calls()).containsExactly(new ScriptedRpcit.Call(first, SDMA, 4096),
                new ScriptedRpcit.Call(first, SDMA, 16 * GIB), new ScriptedRpcit.Call(second, SDMA, 4096));
    }

    @Test
    void syncMapFailsWithEnomemWhenTheGlobalRefreshIsOutOfResourcesToo() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().tlbRefresh(true).build()));
        rpcit.script(RpcitResult.error(RpcitResult.ZPCI_RPCIT_ST_4), RpcitResult.INSUFFICIENT_RESOURCES);
        assertThat(d.iotlbSyncMap(cpu, SDMA, 4096)).isEqualTo(-Errno.ENOMEM);
        assertThat(rpcit.calls()).hasSize(2);
    }

    @Test
    void syncMapOtherErrorIsEioWithoutAGlobalRefresh() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().tlbRefresh(true).build()));
        rpcit.script(RpcitResult.error(8));
        assertThat(d.iotlbSyncMap(cpu, SDMA, 4096)).isEqualTo(-Errno.EIO);
        assertThat(rpcit.calls()).hasSize(1);
    }

    // ---- attach, detach, statistics

    @Test
    void attachingElsewhereMovesTheFunctionAndDetachBlocksDma() {
        S390Iommu iommu = iommu(16 * GIB, 1, fn().build());
        S390Domain first = attached(iommu);
        S390Domain second = attached(iommu);
        ZpciFunction f = iommu.function(dev);
        assertThat(first.devices()).isEmpty();
        assertThat(second.devices()).containsExactly(f);
        assertThat(f.ioat()).isSameAs(second.dmaTable());
        first.free();

        second.detachDev(dev);
        assertThat(f.ioat()).isNull();
        assertThat(iommu.attachedDomain(f)).as("the blocking domain, none of these").isNull();
        second.flushIotlbAll(cpu);
        assertThat(rpcit.calls()).isEmpty();
        second.free();
    }

    @Test
    void statisticsUseTheDebugfsNamesInOrder() {
        S390Domain d = attached(iommu(16 * GIB, 1, fn().tlbRefresh(true).build()));
        d.mapPages(cpu, SDMA, 0, 4096, 5, IommuProt.WRITE);
        d.iotlbSyncMap(cpu, SDMA, 5 * 4096);
        IotlbGather g = new IotlbGather();
        d.unmapPages(cpu, SDMA, 4096, 3, g);
        d.iotlbSync(cpu, g);
        d.flushIotlbAll(cpu);
        assertThat(iommuCtrs(d).debugfs()).containsExactly(
                entry("Mapped pages", 5L),
                entry("Unmapped pages", 3L),
                entry("Global RPCITs", 1L),
                entry("Sync Map RPCITs", 1L),
                entry("Sync RPCITs", 1L));
    }

    private static ZpciIommuCtrs iommuCtrs(S390Domain d) {
        return d.devices().get(0).iommuCtrs();
    }
}
