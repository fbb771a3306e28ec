package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iommulab.platform.shadow.GuestSetup.frame;
import static org.iommulab.platform.shadow.GuestSetup.page;
import static org.iommulab.s390.PciDma.PAGE_SIZE;

import org.iommulab.kernel.Device;
import org.iommulab.platform.device.DmaTranslationSource;
import org.iommulab.s390.RpcitResult;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class ShadowingHypervisorTest {

    private static final long PAGES_PER_SEGMENT = 256;
    private static final long PAGES_PER_REGION = 2048 * PAGES_PER_SEGMENT;

    private final ManualEngine engine = new ManualEngine(2, CostModel.defaults());

    private GuestSetup guest(HypervisorProfile profile) {
        return new GuestSetup(engine, profile, 65_535);
    }

    @Test
    void walkSkipsGuestLoadsOverInvalidSegmentAndRegionButLooksUpEveryPage() {
        GuestSetup g = guest(HypervisorProfile.QEMU_7_2);
        g.map(0, 3, true);
        // SDMA is 4 GiB: region 2 holds one segment table with one page table (segment 0);
        // the range [4 GiB, 8 GiB) also covers 2047 invalid segments and the invalid region 3.
        long pages = 2 * PAGES_PER_REGION;

        assertThat(g.rpcit(0, pages)).isEqualTo(RpcitResult.OK);

        HypervisorStats s = g.hv.stats();
        assertThat(s.exits()).isEqualTo(1);
        assertThat(s.shadowLookups()).isEqualTo(pages);
        assertThat(s.pagesWalked()).isEqualTo(PAGES_PER_SEGMENT);
        assertThat(s.guestTableLoads()).isEqualTo(PAGES_PER_SEGMENT * 3 + 2047 * 2 + 1);
        assertThat(s.hostMaps()).isEqualTo(3);
        assertThat(s.hostUnmapCalls()).isZero();
        assertThat(s.shadowEntries()).isEqualTo(3);
        assertThat(engine.spent(Cost.KVM_RPCIT_EXIT)).isEqualTo(1);
        assertThat(engine.spent(Cost.KVM_SHADOW_LOOKUP)).isEqualTo(pages);
        assertThat(engine.spent(Cost.KVM_WALK_PAGE)).isEqualTo(PAGES_PER_SEGMENT);
        assertThat(engine.spent(Cost.KVM_HOST_MAP)).isEqualTo(3);
    }

    @Test
    void coalescingProfileUnmapsRunsOfInvalidPtesEvenWhenNothingWasShadowed() {
        GuestSetup g = guest(HypervisorProfile.QEMU_8_0);
        g.map(0, 3, true);

        g.rpcit(0, 2 * PAGES_PER_SEGMENT);

        // PTEs 3..255 are invalid: chunks of 1, 4, 8, 16, 32, 64 and 128 pages; segment 1 is invalid.
        HypervisorStats s = g.hv.stats();
        assertThat(s.hostUnmapCalls()).isEqualTo(7);
        assertThat(s.emptyHostUnmapCalls()).isEqualTo(7);
        assertThat(s.hostUnmapPages()).isZero();
        // an unmap that finds nothing costs only the ioctl: no unpin, no host flush
        assertThat(engine.spent(Cost.KVM_HOST_EMPTY_UNMAP)).isEqualTo(7);
        assertThat(engine.spent(Cost.KVM_HOST_UNMAP)).isZero();
        assertThat(engine.spent(Cost.KVM_HOST_UNMAP_PAGE)).isZero();
        assertThat(s.shadowLookups()).isEqualTo(2 * PAGES_PER_SEGMENT);
    }

    @Test
    void mapThenRpcitShadowsThePageWithItsPermissionAndMapsItOnTheHostOnce() {
        GuestSetup g = guest(HypervisorProfile.DEFAULT);
        g.map(5, 1, true);
        g.map(6, 1, false);
        assertThat(g.shadow().lookup(page(5))).isEqualTo(ShadowTable.ABSENT);

        assertThat(g.rpcit(5, 2)).isEqualTo(RpcitResult.OK);

        assertThat(g.shadow().lookup(page(5))).isEqualTo(DmaTranslationSource.translation(frame(5), true));
        assertThat(g.shadow().lookup(page(6) + 123)).isEqualTo(DmaTranslationSource.translation(frame(6), false));
        assertThat(g.hv.stats().hostMaps()).isEqualTo(2);

        g.rpcit(5, 2);
        assertThat(g.hv.stats().hostMaps()).isEqualTo(2);
        assertThat(g.hv.stats().shadowLookups()).isEqualTo(4);

        g.mapTo(5, 0x7000_0000L, true);
        g.rpcit(5, 1);
        HypervisorStats s = g.hv.stats();
        assertThat(s.hostUnmapCalls()).isEqualTo(1);
        assertThat(s.hostMaps()).isEqualTo(3);
        assertThat(s.shadowEntries()).isEqualTo(2);
        assertThat(g.shadow().dmaAvail()).isEqualTo(65_535 - 2);
        assertThat(g.shadow().lookup(page(5))).isEqualTo(DmaTranslationSource.translation(0x7000_0000L, true));
    }

    @Test
    void unmapStaysReachableUntilTheRpcitThatCoversIt() {
        GuestSetup g = guest(HypervisorProfile.DEFAULT);
        g.map(3, 13, true);
        g.rpcit(3, 13);
        engine.advanceBy(1000);

        g.unmap(3, 13);
        g.tracker.unmapped(engine.nowNs(), page(3) >>> 12, 13);
        engine.advanceBy(5000);
        assertThat(g.shadow().lookup(page(9))).isNotEqualTo(ShadowTable.ABSENT);
        g.rpcit(3, 6);
        assertThat(g.shadow().lookup(page(8))).isEqualTo(ShadowTable.ABSENT);
        assertThat(g.shadow().lookup(page(9))).isNotEqualTo(ShadowTable.ABSENT);
        assertThat(g.tracker.pendingPages()).isEqualTo(7);

        engine.advanceBy(5000);
        g.rpcit(9, 7);
        assertThat(g.shadow().lookup(page(9))).isEqualTo(ShadowTable.ABSENT);
        assertThat(g.tracker.pendingPages()).isZero();
        assertThat(g.tracker.windowsNs().getTotalCount()).isEqualTo(13);
        assertThat(g.tracker.windowsNs().getMaxValue()).isBetween(10_000L, 10_010L);
    }

    @Test
    void perPageProfileUnmapsEachShadowedPageAlone() {
        assertThat(unmapCallsForThirteenPages(HypervisorProfile.QEMU_7_1)).isEqualTo(13);
        assertThat(unmapCallsForThirteenPages(HypervisorProfile.QEMU_7_2)).isEqualTo(13);
    }

    @Test
    void coalescingProfileUnmapsAlignedPowerOfTwoChunks() {
        // pages 3..15: 1 + 4 + 8
        assertThat(unmapCallsForThirteenPages(HypervisorProfile.QEMU_8_0)).isEqualTo(3);
        // per call and per page unpinned
        assertThat(engine.spent(Cost.KVM_HOST_UNMAP)).isEqualTo(3);
        assertThat(engine.spent(Cost.KVM_HOST_UNMAP_PAGE)).isEqualTo(13);
    }

    @Test
    void zvmPaysPerChangedEntryAndOneHardwareFlushNotPerPageOfTheRange() {
        assertThat(unmapCallsForThirteenPages(HypervisorProfile.ZVM)).isEqualTo(1);
        assertThat(engine.spent(Cost.ZVM_ENTRY_VALID)).isEqualTo(13);
        assertThat(engine.spent(Cost.ZVM_ENTRY_INVALID)).isEqualTo(13);
        assertThat(engine.spent(Cost.ZVM_HW_FLUSH)).isEqualTo(1);
    }

    @Test
    void zvmResyncOfAWideRangeWithOneChangedEntryCostsThatEntryAlone() {
        GuestSetup g = guest(HypervisorProfile.ZVM);
        g.map(0, 3, true);
        g.rpcit(0, 3);
        g.map(7, 1, true);

        g.rpcit(0, 2 * PAGES_PER_SEGMENT);

        HypervisorStats s = g.hv.stats();
        assertThat(s.hostMaps()).isEqualTo(4);
        assertThat(engine.spent(Cost.ZVM_ENTRY_VALID)).isEqualTo(4);
        assertThat(engine.spent(Cost.ZVM_HW_FLUSH)).isZero();
        assertThat(engine.spent(Cost.ZVM_RPCIT_LOCKED)).isEqualTo(2);
        assertThat(s.shadowLookups()).isZero();
        assertThat(s.pagesWalked()).isZero();
    }

    private long unmapCallsForThirteenPages(HypervisorProfile profile) {
        GuestSetup g = guest(profile);
        g.map(3, 13, true);
        g.rpcit(3, 13);
        g.unmap(3, 13);
        long before = g.hv.stats().hostUnmapCalls();

        assertThat(g.rpcit(3, 13)).isEqualTo(RpcitResult.OK);

        HypervisorStats s = g.hv.stats();
        assertThat(s.hostUnmapPages()).isEqualTo(13);
        assertThat(s.shadowEntries()).isZero();
        assertThat(g.shadow().dmaAvail()).isEqualTo(65_535);
        return s.hostUnmapCalls() - before;
    }

    @Test
    void globalRefreshOverAWholePageTableUnmapsItInOneCall() {
        GuestSetup g = guest(HypervisorProfile.QEMU_8_0);
        g.map(3, 13, true);
        g.rpcit(3, 13);
        g.unmap(3, 13);
        long before = g.hv.stats().hostUnmapCalls();

        g.rpcit(0, 2 * PAGES_PER_SEGMENT);

        assertThat(g.hv.stats().hostUnmapCalls() - before).isEqualTo(1);
        assertThat(g.hv.stats().hostUnmapPages()).isEqualTo(13);
    }

    @Test
    void exhaustedLimitAnswersInsufficientResourcesAndSecondPassMapsWhatUnmapsFreed() {
        GuestSetup old = exhaustThenFreeBehind(HypervisorProfile.QEMU_7_1);
        GuestSetup newer = exhaustThenFreeBehind(HypervisorProfile.QEMU_7_2);

        // 7.1 freed the entries only after it had skipped pages 0..3: they are missing, yet cc 0.
        assertThat(old.hv.stats().secondPasses()).isZero();
        assertThat(old.shadow().shadowEntries()).isZero();
        assertThat(newer.hv.stats().secondPasses()).isEqualTo(1);
        assertThat(newer.shadow().shadowEntries()).isEqualTo(4);

        // another global refresh repairs 7.1
        assertThat(old.rpcit(0, 16)).isEqualTo(RpcitResult.OK);
        assertThat(old.shadow().shadowEntries()).isEqualTo(4);
        assertThat(old.hv.stats().peakShadowEntries()).isEqualTo(8);
    }

    private GuestSetup exhaustThenFreeBehind(HypervisorProfile profile) {
        GuestSetup g = new GuestSetup(engine, profile, 8);
        g.map(8, 8, true);
        // QEMU answers status 16 whenever no entry is left, even though all 8 were mapped
        assertThat(g.rpcit(8, 8)).isEqualTo(RpcitResult.INSUFFICIENT_RESOURCES);
        g.map(0, 4, true);
        assertThat(g.rpcit(0, 4)).isEqualTo(RpcitResult.INSUFFICIENT_RESOURCES);
        assertThat(g.hv.stats().skippedMaps()).isEqualTo(4);
        assertThat(g.shadow().shadowEntries()).isEqualTo(8);

        g.unmap(8, 8);
        assertThat(g.rpcit(0, 16)).isEqualTo(RpcitResult.OK);
        assertThat(g.hv.stats().insufficientResources()).isEqualTo(2);
        assertThat(g.hv.stats().peakShadowEntries()).isEqualTo(8);
        return g;
    }

    @Test
    void rpcitWithoutIoatOrOutsideItPutsTheFunctionInError() {
        GuestSetup g = guest(HypervisorProfile.DEFAULT);
        RpcitResult inError = RpcitResult.error(RpcitResult.ZPCI_PCI_ST_FUNC_IN_ERR);

        assertThat(g.hv.rpcit(g.cpu, g.fn, g.fn.endDma() + 1, PAGE_SIZE)).isEqualTo(inError);
        g.fn.unregisterIoat();
        assertThat(g.rpcit(0, 1)).isEqualTo(inError);
        assertThat(g.hv.stats().exits()).isEqualTo(2);
        assertThat(g.hv.stats().shadowLookups()).isZero();
    }

    @Test
    void functionBuilderTellsTheGuestTheProfilesRefreshBitAndRange() {
        ShadowingHypervisor hv = new ShadowingHypervisor(engine, HypervisorProfile.QEMU_8_0);
        ZpciFunction fn = hv.functionBuilder(new Device("d"), GuestSetup.SDMA, ZpciFunction.DEFAULT_EDMA).build();

        assertThat(fn.tlbRefresh()).isTrue();
        assertThat(fn.startDma()).isEqualTo(GuestSetup.SDMA);
        assertThat(fn.endDma()).isEqualTo(GuestSetup.SDMA + 65_535 * PAGE_SIZE - 1);
        assertThat(fn.rpcitHandler()).isSameAs(hv);
    }
}
