package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.iommulab.kernel.DmaOps.DMA_MAPPING_ERROR;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.MapFailure;
import org.iommulab.kernel.ScatterList;
import org.iommulab.s390.PciDma;
import org.iommulab.s390.RpcitResult;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.s390.ZpciIommuCtrs;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.Test;

class LegacyS390DmaTest {

    private static final long SDMA = ZpciFunction.DEFAULT_SDMA;
    private static final long PAGE = PciDma.PAGE_SIZE;
    /** 1 MiB of guest memory: a 256-page aperture, 255 pages usable. */
    private static final long SMALL_MEMORY = 1 << 20;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final ScriptedRpcitHandler rpcit = new ScriptedRpcitHandler();
    private final StaleWindowTracker tracker = new StaleWindowTracker();
    private final Device dev = new Device("nvme0");
    private ZpciFunction fn;

    private LegacyS390Dma ops(boolean tlbRefresh, LegacyDmaOptions options) {
        fn = ZpciFunction.builder(dev, rpcit).fh(0x42).tlbRefresh(tlbRefresh).trace(tracker).build();
        return new LegacyS390Dma(engine, fn, new TableMemory(), options);
    }

    private ZpciIommuCtrs ctrs() {
        return fn.iommuCtrs();
    }

    private long pte(LegacyS390Dma ops, long dmaAddr) {
        return ops.dmaTable().translate(dmaAddr);
    }

    @Test
    void apertureIsMemoryTimesFactorFromStartDma() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(4L << 30));
        assertThat(fn.startDma()).isEqualTo(SDMA);
        assertThat(fn.endDma()).isEqualTo(SDMA + (4L << 30) - 1);
        assertThat(ops.allocator().iommuPages()).isEqualTo(1 << 20);
        assertThat(fn.ioat()).isSameAs(ops.dmaTable());
    }

    @Test
    void apertureIsClippedToTheHardwareRangeAndTo4TiB() {
        ZpciFunction hw = ZpciFunction.builder(dev, rpcit).dmaRange(SDMA + 1, SDMA + (64 << 20) + PAGE - 1).build();
        LegacyS390Dma ops = new LegacyS390Dma(engine, hw, new TableMemory(),
                new LegacyDmaOptions(false, 4L << 30, 0));
        assertThat(hw.startDma()).as("page-aligned").isEqualTo(SDMA + PAGE);
        assertThat(hw.endDma()).isEqualTo(SDMA + (64 << 20) + PAGE - 1);
        assertThat(ops.allocator().iommuPages()).isEqualTo((64 << 20) / PAGE);

        long top = PciDma.ZPCI_TABLE_SIZE_RT - (1 << 20);
        ZpciFunction high = ZpciFunction.builder(dev, rpcit).dmaRange(top, -1L >>> 1).build();
        new LegacyS390Dma(engine, high, new TableMemory(), LegacyDmaOptions.lazy(4L << 30));
        assertThat(high.endDma()).isEqualTo(PciDma.ZPCI_TABLE_SIZE_RT - 1);
    }

    @Test
    void mapPageTranslatesEveryPageWithProtectionByDirection() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        long handle = ops.mapPage(cpu, dev, 0x1234_5678L, 0x2000, DmaDirection.TO_DEVICE, 0);
        assertThat(handle).isEqualTo(SDMA + 0x678);
        for (int i = 0; i < 3; i++) {
            long pte = pte(ops, SDMA + i * PAGE);
            assertThat(PciDma.ptEntryIsValid(pte)).isTrue();
            assertThat(PciDma.ptePfaa(pte)).isEqualTo(0x1234_5000L + i * PAGE);
            assertThat(PciDma.entryIsProtected(pte)).isTrue();
        }
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA + 3 * PAGE))).isFalse();

        long rw = ops.mapPage(cpu, dev, 0x8000, 16, DmaDirection.FROM_DEVICE, 0);
        assertThat(rw).as("next-fit after the first area").isEqualTo(SDMA + 3 * PAGE);
        assertThat(PciDma.entryIsProtected(pte(ops, rw))).isFalse();
        assertThat(ctrs().mappedPages()).isEqualTo(4);
        assertThat(rpcit.calls()).as("no RPCIT on map without tlb_refresh").isEmpty();
        assertThat(engine.spent(Cost.DMA_MAP_CALL)).isEqualTo(2);
    }

    @Test
    void lazyUnmapInvalidatesWithoutRpcitAndKeepsTheIovaUntilTheWrap() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        long handle = ops.mapPage(cpu, dev, 0x10000, 3 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        engine.advanceBy(500);
        ops.unmapPage(cpu, dev, handle, 3 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(PciDma.ptEntryIsValid(pte(ops, handle))).isFalse();
        assertThat(rpcit.calls()).isEmpty();
        assertThat(ctrs().unmappedPages()).isEqualTo(3);
        assertThat(ops.allocator().lazy()).isEqualTo(3);
        assertThat(ops.allocator().used()).isEqualTo(3);
        assertThat(tracker.pendingPages()).as("reachable until the next global RPCIT").isEqualTo(3);
    }

    @Test
    void theWrapIssuesExactlyOneGlobalRpcitAndReclaimsTheLazyPages() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        long a = ops.mapPage(cpu, dev, 0, 200 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        engine.advanceBy(1000);
        ops.unmapPage(cpu, dev, a, 200 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        engine.advanceBy(1000);
        long b = ops.mapPage(cpu, dev, 0, 100 * PAGE, DmaDirection.BIDIRECTIONAL, 0);

        assertThat(b).as("reused after the wrap").isEqualTo(SDMA);
        assertThat(ops.wraps()).isEqualTo(1);
        assertThat(rpcit.calls()).hasSize(1);
        assertThat(rpcit.globals(fn)).isEqualTo(1);
        assertThat(rpcit.calls().get(0).length()).isEqualTo(256 * PAGE);
        assertThat(ctrs().globalRpcits()).isEqualTo(1);
        assertThat(ops.allocator().lazy()).isZero();
        assertThat(ops.allocator().used()).isEqualTo(100);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.maxWindowNs()).isEqualTo(1000);
    }

    @Test
    void manyWrapsEachIssueOneGlobalRpcit() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        for (int i = 0; i < 500; i++) {
            int pages = 1 + i % 13;
            long h = ops.mapPage(cpu, dev, i * PAGE, pages * PAGE, DmaDirection.TO_DEVICE, 0);
            assertThat(h).isNotEqualTo(DMA_MAPPING_ERROR);
            ops.unmapPage(cpu, dev, h, pages * PAGE, DmaDirection.TO_DEVICE, 0);
        }
        assertThat(ops.wraps()).isGreaterThan(10);
        assertThat(rpcit.globals(fn)).isEqualTo(ops.wraps());
        assertThat(ctrs().globalRpcits()).isEqualTo(ops.wraps());
        assertThat(ctrs().syncMapRpcits()).isEqualTo(500);
        assertThat(ctrs().syncRpcits()).isZero();
        assertThat(rpcit.calls()).hasSize(500 + (int) ops.wraps());
    }

    @Test
    void tlbRefreshIssuesRpcitOverTheNewRangeOnMap() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        long h = ops.mapPage(cpu, dev, 0x5000, 2 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(rpcit.calls()).containsExactly(
                new ScriptedRpcitHandler.Call(SDMA, 2 * PAGE, RpcitResult.OK));
        ops.unmapPage(cpu, dev, h, 2 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(rpcit.calls()).as("lazy unmap").hasSize(1);
        assertThat(ctrs().syncMapRpcits()).isEqualTo(1);
    }

    @Test
    void strictIssuesRpcitOnEveryUnmapAndFreesAtOnce() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.strictMode(SMALL_MEMORY));
        long a = ops.mapPage(cpu, dev, 0, 200 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        engine.advanceBy(700);
        ops.unmapPage(cpu, dev, a, 200 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(rpcit.calls()).containsExactly(
                new ScriptedRpcitHandler.Call(SDMA, 200 * PAGE, RpcitResult.OK));
        assertThat(ctrs().syncRpcits()).isEqualTo(1);
        assertThat(ops.allocator().used()).isZero();
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.maxWindowNs()).isZero();

        long b = ops.mapPage(cpu, dev, 0, 100 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(b).isEqualTo(SDMA);
        assertThat(ops.wraps()).isEqualTo(1);
        assertThat(rpcit.globals(fn)).as("a strict wrap needs no global RPCIT").isZero();
        assertThat(ctrs().globalRpcits()).isZero();
    }

    @Test
    void lazyOutOfResourcesOnMapRefreshesGloballyReclaimsAndSucceeds() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        long a = ops.mapPage(cpu, dev, 0, 10 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        ops.unmapPage(cpu, dev, a, 10 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        rpcit.answer(RpcitResult.INSUFFICIENT_RESOURCES);
        long b = ops.mapPage(cpu, dev, 0x40000, PAGE, DmaDirection.BIDIRECTIONAL, 0);

        assertThat(b).isEqualTo(SDMA + 10 * PAGE);
        assertThat(PciDma.ptEntryIsValid(pte(ops, b))).isTrue();
        assertThat(rpcit.calls()).hasSize(3);
        assertThat(ScriptedRpcitHandler.isGlobal(fn, rpcit.calls().get(2))).isTrue();
        assertThat(ctrs().globalRpcits()).isEqualTo(1);
        assertThat(ctrs().syncMapRpcits()).isEqualTo(2);
        assertThat(ops.allocator().lazy()).isZero();
        assertThat(ops.allocator().used()).isEqualTo(1);
        assertThat(ops.wraps()).isZero();
    }

    @Test
    void lazyOutOfResourcesFailsWhenTheGlobalRefreshFailsToo() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        rpcit.answer(RpcitResult.INSUFFICIENT_RESOURCES, RpcitResult.error(RpcitResult.ZPCI_RPCIT_ST_4));
        assertThat(ops.mapPage(cpu, dev, 0, 2 * PAGE, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(DMA_MAPPING_ERROR);
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA))).as("new entries undone").isFalse();
        assertThat(ops.allocator().lazy()).as("the IOVA is freed lazily").isEqualTo(2);
        assertThat(ctrs().mappedPages()).isZero();
        assertThat(ctrs().globalRpcits()).isEqualTo(1);
    }

    @Test
    void aScatterListMapFailsAndIsUndoneWhenTheGlobalRefreshFailsToo() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        rpcit.answer(RpcitResult.INSUFFICIENT_RESOURCES, RpcitResult.error(RpcitResult.ZPCI_RPCIT_ST_4));
        ScatterList sg = new ScatterList(2);
        sg.add(0x40000, 4096);
        sg.add(0x41000, 4096);
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.TO_DEVICE, 0)).isNegative();
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA))).as("no entry left valid").isFalse();
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA + PAGE))).isFalse();
        assertThat(ctrs().mappedPages()).isZero();
        assertThat(ctrs().globalRpcits()).as("the global refresh was tried").isEqualTo(1);
        rpcit.answer(RpcitResult.OK);
        long next = ops.mapPage(cpu, dev, 0x50000, PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(next).as("the function recovers once RPCIT works").isNotEqualTo(DMA_MAPPING_ERROR);
        assertThat(PciDma.ptEntryIsValid(pte(ops, next))).isTrue();
    }

    @Test
    void strictOutOfResourcesOnMapFails() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.strictMode(SMALL_MEMORY));
        rpcit.answer(RpcitResult.INSUFFICIENT_RESOURCES);
        assertThat(ops.mapPage(cpu, dev, 0, PAGE, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(DMA_MAPPING_ERROR);
        assertThat(rpcit.calls()).hasSize(1);
        assertThat(ctrs().globalRpcits()).isZero();
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA))).isFalse();
        assertThat(ops.allocator().used()).isZero();
    }

    @Test
    void busyRpcitIsRetried() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        rpcit.answer(RpcitResult.BUSY, RpcitResult.BUSY);
        assertThat(ops.mapPage(cpu, dev, 0, PAGE, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(SDMA);
        assertThat(rpcit.calls()).hasSize(3);
        assertThat(engine.spent(Cost.RPCIT_BUSY_DELAY)).isEqualTo(2);
        assertThat(ctrs().syncMapRpcits()).isEqualTo(1);
    }

    @Test
    void strictUnmapWhoseRpcitFailsKeepsTheIova() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.strictMode(SMALL_MEMORY));
        long h = ops.mapPage(cpu, dev, 0, 4 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        rpcit.answer(RpcitResult.error(8));
        ops.unmapPage(cpu, dev, h, 4 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(PciDma.ptEntryIsValid(pte(ops, h))).isFalse();
        assertThat(ops.allocator().used()).isEqualTo(4);
        assertThat(ctrs().unmappedPages()).isZero();
        assertThat(tracker.pendingPages()).as("still reachable").isEqualTo(4);
    }

    @Test
    void exhaustedApertureFailsTheMap() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        assertThat(ops.mapPage(cpu, dev, 0, 255 * PAGE, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(SDMA);
        assertThat(ops.mapPage(cpu, dev, 0, PAGE, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(DMA_MAPPING_ERROR);
        assertThat(ops.mapPage(cpu, dev, 0, 0, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(DMA_MAPPING_ERROR);
        assertThat(ops.mapPage(cpu, dev, 0, 1L << 40, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(DMA_MAPPING_ERROR);
    }

    @Test
    void statisticsUseTheDebugfsNames() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.strictMode(SMALL_MEMORY));
        long h = ops.mapPage(cpu, dev, 0, 3 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        ops.unmapPage(cpu, dev, h, 3 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        assertThat(ctrs().debugfs()).containsExactly(
                java.util.Map.entry("Mapped pages", 3L),
                java.util.Map.entry("Unmapped pages", 3L),
                java.util.Map.entry("Global RPCITs", 0L),
                java.util.Map.entry("Sync Map RPCITs", 1L),
                java.util.Map.entry("Sync RPCITs", 1L));
    }

    @Test
    void rejectsAnotherDeviceAndForeignHandles() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        Device other = new Device("other");
        assertThatThrownBy(() -> ops.mapPage(cpu, other, 0, PAGE, DmaDirection.BIDIRECTIONAL, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other");
        assertThatThrownBy(() -> ops.unmapPage(cpu, dev, 0x1000, PAGE, DmaDirection.BIDIRECTIONAL, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aperture");
    }

    @Test
    void mapSgMergesPageAlignedEntriesIntoOneSegment() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        ScatterList sg = new ScatterList(4);
        sg.add(0x10000, 4096);
        sg.add(0x30000, 8192);
        sg.add(0x50000, 100);
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.FROM_DEVICE, 0)).isEqualTo(1);
        assertThat(sg.dmaNents()).isEqualTo(1);
        assertThat(sg.dmaAddress(0)).isEqualTo(SDMA);
        assertThat(sg.dmaLength(0)).isEqualTo(4096 + 8192 + 100);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA))).isEqualTo(0x10000);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA + PAGE))).isEqualTo(0x30000);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA + 2 * PAGE))).isEqualTo(0x31000);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA + 3 * PAGE))).isEqualTo(0x50000);
        assertThat(rpcit.calls()).as("one RPCIT per DMA segment").containsExactly(
                new ScriptedRpcitHandler.Call(SDMA, 4 * PAGE, RpcitResult.OK));
        assertThat(ctrs().mappedPages()).isEqualTo(4);

        ops.unmapSg(cpu, dev, sg, DmaDirection.FROM_DEVICE, 0);
        assertThat(sg.dmaNents()).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA + i * PAGE))).isFalse();
        }
        assertThat(ctrs().unmappedPages()).isEqualTo(4);
    }

    /**
     * Entries that start inside a page: a segment's DMA address keeps its first entry's offset in
     * the page and its length counts from there, as the device must see the buffer's first byte.
     */
    @Test
    void mapSgSegmentsKeepTheirFirstEntrysOffsetInThePage() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.lazy(SMALL_MEMORY));
        ScatterList sg = new ScatterList(3);
        sg.add(0x10800, 0x800); // ends on the page boundary: the next page-aligned entry joins it
        sg.add(0x30000, 4096);
        sg.add(0x50100, 100); // starts inside a page: a segment of its own
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.FROM_DEVICE, 0)).isEqualTo(2);
        assertThat(sg.dmaAddress(0)).isEqualTo(SDMA + 0x800);
        assertThat(sg.dmaLength(0)).isEqualTo(0x800 + 4096);
        assertThat(sg.dmaAddress(1)).isEqualTo(SDMA + 2 * PAGE + 0x100);
        assertThat(sg.dmaLength(1)).isEqualTo(100);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA))).isEqualTo(0x10000);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA + 2 * PAGE))).isEqualTo(0x50000);
        ops.unmapSg(cpu, dev, sg, DmaDirection.FROM_DEVICE, 0);
        assertThat(ctrs().unmappedPages()).isEqualTo(3);
    }

    /**
     * A segment whose second page needs a page table the memory cannot give: the page already
     * entered is invalidated again, the area goes back to the allocator, and the failure is
     * counted by its cause; a segment the allocator cannot place is counted as exhaustion.
     */
    @Test
    void mapSgRollsBackASegmentWhoseTableCannotBeAllocated() {
        fn = ZpciFunction.builder(dev, rpcit).fh(0x42).trace(tracker).build();
        // the root and one segment table (16 KiB each) and one page table (2 KiB) fit, a second page table not
        LegacyS390Dma ops = new LegacyS390Dma(engine, fn, new TableMemory((16 + 16 + 2) << 10),
                LegacyDmaOptions.lazy(4 * SMALL_MEMORY));
        long first = ops.mapPage(cpu, dev, 0x100000, 255 * PAGE, DmaDirection.TO_DEVICE, 0);
        assertThat(first).isEqualTo(SDMA);
        ScatterList sg = new ScatterList(1);
        sg.add(0x200000, (int) (2 * PAGE)); // at SDMA + 255 pages: its second page is in the next page table
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.FROM_DEVICE, 0)).isEqualTo(-Errno.ENOMEM);
        assertThat(sg.dmaNents()).isZero();
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA + 255 * PAGE))).as("rolled back").isFalse();
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA + 254 * PAGE))).as("the neighbour's mapping stays").isTrue();
        assertThat(ops.mapErrorsByCause()).containsEntry(MapFailure.IOMMU_MAP_FAILED, 1L);

        ScatterList huge = new ScatterList(1);
        huge.add(0x400000, (int) (4 * SMALL_MEMORY));
        assertThat(ops.mapSg(cpu, dev, huge, DmaDirection.FROM_DEVICE, 0)).isEqualTo(-Errno.ENOMEM);
        assertThat(ops.mapErrorsByCause()).containsEntry(MapFailure.IOVA_SPACE_EXHAUSTED, 1L);
    }

    /** Each way a map fails is counted by its cause. */
    @Test
    void mapPageFailuresAreCountedByCause() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        assertThat(ops.mapPage(cpu, dev, 0x100000, SMALL_MEMORY + PAGE, DmaDirection.TO_DEVICE, 0))
                .isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.mapErrorsByCause()).containsEntry(MapFailure.INVALID_SIZE, 1L);
        int maps = 0;
        while (ops.mapPage(cpu, dev, 0x100000, 16 * PAGE, DmaDirection.TO_DEVICE, 0) != DmaOps.DMA_MAPPING_ERROR) {
            maps++;
            assertThat(maps).as("the space runs out").isLessThan(1000);
        }
        assertThat(ops.mapErrorsByCause()).containsEntry(MapFailure.IOVA_SPACE_EXHAUSTED, 1L);

        fn = ZpciFunction.builder(new Device("nvme1"), rpcit).fh(0x43).trace(tracker).build();
        LegacyS390Dma starved = new LegacyS390Dma(engine, fn, new TableMemory(16 << 10), LegacyDmaOptions.lazy(SMALL_MEMORY));
        Device other = fn.device();
        assertThat(starved.mapPage(cpu, other, 0x100000, PAGE, DmaDirection.TO_DEVICE, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(starved.mapErrorsByCause()).containsEntry(MapFailure.IOMMU_MAP_FAILED, 1L);
    }

    @Test
    void mapSgProtectsWhatTheDeviceOnlyReads() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        ScatterList toDevice = new ScatterList(2);
        toDevice.add(0x40000, 4096);
        toDevice.add(0x50000, 4096);
        assertThat(ops.mapSg(cpu, dev, toDevice, DmaDirection.TO_DEVICE, 0)).as("page-aligned: one segment").isEqualTo(1);
        ScatterList fromDevice = new ScatterList(1);
        fromDevice.add(0x60000, 4096);
        assertThat(ops.mapSg(cpu, dev, fromDevice, DmaDirection.FROM_DEVICE, 0)).isEqualTo(1);
        for (int i = 0; i < 2; i++) {
            long pte = pte(ops, toDevice.dmaAddress(0) + i * PAGE);
            assertThat(PciDma.ptEntryIsValid(pte)).isTrue();
            assertThat(PciDma.entryIsProtected(pte)).as("TO_DEVICE: read-only for the device").isTrue();
        }
        long rw = pte(ops, fromDevice.dmaAddress(0));
        assertThat(PciDma.ptEntryIsValid(rw)).isTrue();
        assertThat(PciDma.entryIsProtected(rw)).as("FROM_DEVICE: the device writes").isFalse();
    }

    @Test
    void mapSgSplitsAtOffsetsUnalignedEndsAndTheMaxSegmentSize() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.lazy(SMALL_MEMORY));
        ScatterList sg = new ScatterList(24);
        sg.add(0x10000, 100);
        sg.add(0x20000, 4096);
        sg.add(0x30100, 0xf00);
        for (int i = 0; i < 20; i++) {
            sg.add(0x100000 + i * 2 * PAGE, 4096);
        }
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.TO_DEVICE, 0)).isEqualTo(4);
        assertThat(sg.dmaAddress(0)).isEqualTo(SDMA);
        assertThat(sg.dmaLength(0)).as("an unaligned end closes the segment").isEqualTo(100);
        assertThat(sg.dmaAddress(1)).isEqualTo(SDMA + PAGE);
        assertThat(sg.dmaLength(1)).isEqualTo(4096);
        assertThat(sg.dmaAddress(2)).as("an offset opens a segment").isEqualTo(SDMA + 2 * PAGE + 0x100);
        assertThat(sg.dmaLength(2)).as("0xf00 ends on a page boundary, so 15 entries join").isEqualTo(0xf00 + 15 * 4096);
        assertThat(sg.dmaAddress(3)).isEqualTo(SDMA + 18 * PAGE);
        assertThat(sg.dmaLength(3)).isEqualTo(5 * 4096);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA + 3 * PAGE))).isEqualTo(0x100000);
        assertThat(PciDma.ptePfaa(pte(ops, SDMA + 22 * PAGE))).isEqualTo(0x100000 + 19 * 2 * PAGE);
        assertThat(ctrs().mappedPages()).isEqualTo(23);
    }

    /** A segment whose RPCIT fails is invalidated again, every page of it, and its IOVA freed. */
    @Test
    void aSegmentWhoseRefreshFailsLeavesNoPageReachableAndNoIovaHeld() {
        LegacyS390Dma ops = ops(true, LegacyDmaOptions.strictMode(SMALL_MEMORY));
        rpcit.answer(RpcitResult.error(RpcitResult.ZPCI_RPCIT_ST_4));
        ScatterList sg = new ScatterList(2);
        sg.add(0x40000, 4096);
        sg.add(0x41000, 4096);
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.FROM_DEVICE, 0)).isNegative();
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA))).isFalse();
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA + PAGE))).isFalse();
        assertThat(ops.allocator().used()).isZero();
        assertThat(ctrs().mappedPages()).isZero();
    }

    @Test
    void mapSgFailureUnmapsTheSegmentsAlreadyMapped() {
        LegacyS390Dma ops = ops(false, LegacyDmaOptions.strictMode(SMALL_MEMORY));
        ops.mapPage(cpu, dev, 0, 250 * PAGE, DmaDirection.BIDIRECTIONAL, 0);
        ScatterList sg = new ScatterList(2);
        sg.add(0x10000, 4096);
        sg.add(0x20100, 6 * 4096);
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(-Errno.ENOMEM);
        assertThat(sg.dmaNents()).isZero();
        assertThat(ctrs().unmappedPages()).isEqualTo(1);
        assertThat(ops.allocator().used()).isEqualTo(250);
        assertThat(PciDma.ptEntryIsValid(pte(ops, SDMA + 250 * PAGE))).isFalse();
        assertThat(ops.mapSg(cpu, dev, new ScatterList(1), DmaDirection.BIDIRECTIONAL, 0)).isEqualTo(-Errno.EINVAL);
    }
}
