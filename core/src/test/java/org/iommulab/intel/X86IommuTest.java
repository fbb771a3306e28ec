package org.iommulab.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.pgtable.RadixPageTable;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.sim.threads.NativeEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.iommulab.testing.Concurrently;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class X86IommuTest {

    private static final int RW = IommuProt.READ | IommuProt.WRITE;
    private static final long PAGE = 4096;

    private ManualEngine engine;
    private Cpu cpu;
    private StaleWindowTracker tracker;
    private X86Iommu iommu;
    private X86IommuDomain domain;

    @BeforeEach
    void setUp() {
        engine = new ManualEngine(2);
        cpu = engine.cpu(0);
        tracker = new StaleWindowTracker();
        iommu = new X86Iommu(engine, X86IommuConfig.defaults(), tracker, null);
        Device dev = new Device("nvme0");
        assertThat(iommu.probeDevice(dev)).isZero();
        domain = iommu.domainAllocPaging(dev);
        assertThat(domain.attachDev(dev)).isZero();
    }

    @Test
    void firstMapAllocatesOneTablePerLevelAndWalksToTheLeaf() {
        long iova = 0x1_2345_6789_000L; // pfn 0x123456789: indices 0x24, 0xd1, 0xb3, 0x189
        assertThat(RadixPageTable.levelIndex(0x1_2345_6789L, 4)).isEqualTo(0x24);
        assertThat(RadixPageTable.levelIndex(0x1_2345_6789L, 3)).isEqualTo(0xd1);
        assertThat(RadixPageTable.levelIndex(0x1_2345_6789L, 2)).isEqualTo(0xb3);
        assertThat(RadixPageTable.levelIndex(0x1_2345_6789L, 1)).isEqualTo(0x189);

        assertThat(domain.mapPages(cpu, iova, 0xabc_d000L, PAGE, 1, IommuProt.READ)).isEqualTo(PAGE);

        assertThat(domain.tableCount()).isEqualTo(4);
        assertThat(domain.tableMemoryBytes()).isEqualTo(4 * 4096);
        assertThat(engine.spent(Cost.X86_TABLE_ALLOC)).isEqualTo(3);
        assertThat(engine.spent(Cost.TABLE_INSTALL)).isEqualTo(3);
        assertThat(engine.spent(Cost.PTE_WRITE)).isEqualTo(1);
        // root (frame 1) -> level 3 table (frame 2) -> level 2 (frame 3) -> leaf (frame 4), all R|W
        assertThat(domain.tableEntry(iova, 4)).isEqualTo(0x2003L);
        assertThat(domain.tableEntry(iova, 3)).isEqualTo(0x3003L);
        assertThat(domain.tableEntry(iova, 2)).isEqualTo(0x4003L);
        assertThat(domain.tableEntry(iova, 1)).isEqualTo(0xabc_d001L); // read-only leaf
        assertThat(domain.iovaToPhys(iova + 0x123)).isEqualTo(0xabc_d123L);
        assertThat(domain.tableEntry(iova + PAGE, 1)).isZero();
    }

    @Test
    void neighbouringPagesShareTablesAndANew2MiBRegionAddsOneLeafTable() {
        domain.mapPages(cpu, 0x4000_0000L, 0x10_0000L, PAGE, 512, RW);
        assertThat(domain.tableCount()).isEqualTo(4);
        assertThat(engine.spent(Cost.PTE_WRITE)).isEqualTo(512);

        domain.mapPages(cpu, 0x4020_0000L, 0x30_0000L, PAGE, 1, RW);
        assertThat(domain.tableCount()).isEqualTo(5);
        assertThat(engine.spent(Cost.X86_TABLE_ALLOC)).isEqualTo(4);
    }

    @Test
    void mappingOverALiveEntryFailsAndUndoesTheCall() {
        domain.mapPages(cpu, 0x2000, 0x9000, PAGE, 1, RW);
        assertThat(domain.mapPages(cpu, 0x1000, 0x5000, PAGE, 2, RW)).isEqualTo(-Errno.EEXIST);
        assertThat(domain.iovaToPhys(0x1000)).isZero();
        assertThat(domain.iovaToPhys(0x2000)).isEqualTo(0x9000);
    }

    @Test
    void badMapArgumentsAreErrnos() {
        assertThat(domain.mapPages(cpu, 0x1000, 0x5000, 2 << 20, 1, RW)).isEqualTo(-Errno.EINVAL);
        assertThat(domain.mapPages(cpu, 0x1800, 0x5000, PAGE, 1, RW)).isEqualTo(-Errno.EINVAL);
        assertThat(domain.mapPages(cpu, 0x1000, 0x5000, PAGE, 1, 0)).isEqualTo(-Errno.EINVAL);
        assertThat(domain.mapPages(cpu, 1L << 48, 0x5000, PAGE, 1, RW)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void mapNeedsNoInvalidation() {
        domain.mapPages(cpu, 0x1000, 0x5000, PAGE, 4, RW);
        assertThat(domain.iotlbSyncMap(cpu, 0x1000, 4 * PAGE)).isZero();
        assertThat(domain.translate(0x3008, true)).isEqualTo(0x7008);
        assertThat(iommu.stats().waitDescriptors()).isZero();
    }

    @Test
    void strictUnmapIssuesOnePageSelectiveInvalidationAndOneWait() {
        domain.mapPages(cpu, 0x10_0000L, 0x5000, PAGE, 3, RW);
        IotlbGather gather = new IotlbGather();
        assertThat(domain.unmapPages(cpu, 0x10_0000L, PAGE, 3, gather)).isEqualTo(3 * PAGE);
        domain.iotlbSync(cpu, gather);

        assertThat(iommu.stats()).isEqualTo(new X86IommuStats(1, 0, 1, 0, 0));
        assertThat(engine.spent(Cost.X86_INV_DESC)).isEqualTo(2);
        assertThat(engine.spent(Cost.VTD_INV_WAIT)).isEqualTo(1);
    }

    @Test
    void domainFlushIssuesOneDomainSelectiveInvalidationAndOneWait() {
        domain.mapPages(cpu, 0x10_0000L, 0x5000, PAGE, 8, RW);
        IotlbGather gather = new IotlbGather();
        gather.setQueued(true);
        for (int i = 0; i < 8; i++) {
            domain.unmapPages(cpu, 0x10_0000L + i * PAGE, PAGE, 1, gather);
        }
        assertThat(gather.isEmpty()).isTrue(); // queued: nothing gathered, nothing flushed
        assertThat(iommu.stats().waitDescriptors()).isZero();

        domain.flushIotlbAll(cpu);
        assertThat(iommu.stats()).isEqualTo(new X86IommuStats(0, 1, 1, 0, 0));
    }

    @Test
    void pageSelectiveMaskCoversTheSmallestAlignedBlockHoldingTheRange() {
        // pfns 3 and 4 first share the bits above bit 2: am = 3, pages 0..7; am = 2 would miss pfn 4
        long iova = 3 * PAGE;
        domain.mapPages(cpu, iova, 0x50_0000L, PAGE, 2, RW);
        domain.translate(iova, false);
        domain.translate(iova + PAGE, false);
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, iova, PAGE, 2, gather);
        domain.iotlbSync(cpu, gather);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.windowsNs().getTotalCount()).isEqualTo(2);
        assertThat(domain.translate(iova, false)).isEqualTo(X86IommuDomain.FAULT);
    }

    @Test
    void aRangeBeyondTheMaximumMaskFallsBackToADomainFlush() {
        iommu = new X86Iommu(engine, new X86IommuConfig(64, 2, false), null, null);
        Device dev = new Device("nic0");
        domain = iommu.domainAllocPaging(dev);
        domain.attachDev(dev);
        domain.mapPages(cpu, 0, 0x50_0000L, PAGE, 5, RW);
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, 0, PAGE, 5, gather); // 5 pages need am = 3 > 2
        domain.iotlbSync(cpu, gather);
        assertThat(iommu.stats()).isEqualTo(new X86IommuStats(0, 1, 1, 0, 0));
    }

    @Test
    void aDisjointUnmapSyncsTheGatherFirst() {
        domain.mapPages(cpu, 0, 0x50_0000L, PAGE, 16, RW);
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, 0, PAGE, 1, gather);
        domain.unmapPages(cpu, 8 * PAGE, PAGE, 1, gather);
        assertThat(iommu.stats().psiDescriptors()).isEqualTo(1);
        assertThat(gather.start()).isEqualTo(8 * PAGE);
        domain.iotlbSync(cpu, gather);
        assertThat(iommu.stats().psiDescriptors()).isEqualTo(2);
    }

    @Test
    void aCachedPageStaysReachableAfterUnmapUntilTheWaitCompletes() {
        domain.mapPages(cpu, 0x20_0000L, 0x7000_0000L, PAGE, 2, RW);
        assertThat(domain.translate(0x20_0010L, true)).isEqualTo(0x7000_0010L); // cached now
        IotlbGather gather = new IotlbGather();
        gather.setQueued(true);
        engine.advanceBy(100);
        domain.unmapPages(cpu, 0x20_0000L, PAGE, 2, gather);

        engine.advanceBy(5_000);
        assertThat(domain.translate(0x20_0010L, true)).isEqualTo(0x7000_0010L); // stale IOTLB hit
        assertThat(domain.translate(0x20_1000L, false)).isEqualTo(X86IommuDomain.FAULT); // never cached
        assertThat(tracker.pendingPages()).isEqualTo(2);

        domain.flushIotlbAll(cpu);
        assertThat(domain.translate(0x20_0010L, true)).isEqualTo(X86IommuDomain.FAULT);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.windowsNs().getMaxValue()).isBetween(4_990L, 5_010L);
        assertThat(iommu.stats().iotlbHits()).isEqualTo(1);
    }

    @Test
    void readOnlyMappingsFaultOnWrite() {
        domain.mapPages(cpu, 0x1000, 0x5000, PAGE, 1, IommuProt.READ);
        assertThat(domain.translate(0x1000, false)).isEqualTo(0x5000);
        assertThat(domain.translate(0x1000, true)).isEqualTo(X86IommuDomain.FAULT);
    }

    @Test
    void aDetachedDeviceReachesNothing() {
        Device dev = new Device("gpu0");
        X86IommuDomain d = iommu.domainAllocPaging(dev);
        d.attachDev(dev);
        d.mapPages(cpu, 0x1000, 0x5000, PAGE, 1, RW);
        assertThat(d.translate(0x1000, false)).isEqualTo(0x5000);
        d.detachDev(dev);
        assertThat(d.translate(0x1000, false)).isEqualTo(X86IommuDomain.FAULT);
        assertThat(d.did()).isNotEqualTo(domain.did());
    }

    @Test
    void theDriverCanDeferFlushesAndReservesTheInterruptWindow() {
        Device dev = new Device("nvme1");
        assertThat(iommu.capable(dev, IommuCap.DEFERRED_FLUSH)).isTrue();
        assertThat(dev.iommu().shadowOnFlush()).isFalse();
        assertThat(iommu.getResvRegions(dev)).singleElement()
                .satisfies(r -> assertThat(r.start()).isEqualTo(0xfee0_0000L));
        assertThat(domain.geometry().apertureEnd()).isEqualTo((1L << 48) - 1);
        assertThat(domain.pgsizeBitmap()).isEqualTo(PAGE);
    }

    @Test
    void racingCpusInstallOneTablePerSlot() throws Exception {
        try (NativeEngine nat = new NativeEngine(2)) {
            X86Iommu hw = new X86Iommu(nat, X86IommuConfig.defaults(), null, null);
            Device dev = new Device("nvme2");
            X86IommuDomain d = hw.domainAllocPaging(dev);
            d.attachDev(dev);
            for (int round = 0; round < 50; round++) {
                long base = (long) round << 30; // a fresh 1 GiB region each round
                CyclicBarrier start = new CyclicBarrier(2);
                long[] results = new long[2];
                Concurrently.run(2, id -> {
                    start.await();
                    results[id] = d.mapPages(nat.cpu(id), base + id * PAGE, 0x100_0000L + id * PAGE, PAGE, 1, RW);
                });
                assertThat(results).containsOnly(PAGE);
                assertThat(d.translate(base, false)).isEqualTo(0x100_0000L);
                assertThat(d.translate(base + PAGE, false)).isEqualTo(0x100_1000L);
            }
            // root, one level-3 table, then per 1 GiB round one level-2 and one leaf table
            assertThat(d.tableCount()).isEqualTo(2 + 50 * 2);
        }
    }
}
