package org.iommulab.arm;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.pgtable.IoPgtable;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.Test;

class SmmuV3Test {

    private static final int RW = IommuProt.READ | IommuProt.WRITE;
    private static final long PAGE = 4096;
    private static final long IOVA = 0x1000_0000L;

    private final ManualEngine engine = new ManualEngine(2);
    private final Cpu cpu = engine.cpu(0);
    private final StaleWindowTracker tracker = new StaleWindowTracker();
    private final Device dev = new Device("nvme0");
    private SmmuV3 smmu;
    private SmmuDomain domain;

    private void boot(SmmuV3Config config) {
        smmu = new SmmuV3(engine, config, tracker);
        domain = smmu.domainAllocPaging(dev);
        assertThat(domain.attachDev(dev)).isZero();
    }

    /** Maps {@code pages} pages at {@link #IOVA}, lets the device touch each, unmaps them strictly. */
    private void mapTouchUnmapStrict(long pages) {
        assertThat(domain.mapPages(cpu, IOVA, 0x8000_0000L, PAGE, pages, RW)).isEqualTo(pages * PAGE);
        for (long i = 0; i < pages; i++) {
            assertThat(domain.translate(IOVA + i * PAGE, true)).isEqualTo(0x8000_0000L + i * PAGE);
        }
        IotlbGather gather = new IotlbGather();
        assertThat(domain.unmapPages(cpu, IOVA, PAGE, pages, gather)).isEqualTo(pages * PAGE);
        domain.iotlbSync(cpu, gather);
    }

    @Test
    void withoutRangeInvalidationEveryPageIsOneCommandAndALongListIsBatchedUnderOneSync() {
        boot(SmmuV3Config.DEFAULTS.withRangeInvalidation(false));

        mapTouchUnmapStrict(100);

        SmmuV3Stats stats = smmu.stats();
        assertThat(stats.tlbiVa()).isEqualTo(100);
        assertThat(stats.syncs()).isEqualTo(1);
        assertThat(stats.cmdlists()).isEqualTo(2); // 64 published without a sync, then 36 and the sync
        assertThat(engine.spent(Cost.SMMU_CMD_EXEC)).isEqualTo(100);
        assertThat(engine.spent(Cost.SMMU_CMD_WRITE)).isEqualTo(101);
        assertThat(engine.spent(Cost.SMMU_SYNC)).isEqualTo(1);
        assertThat(engine.spent(Cost.SMMU_PROD_WRITE)).isEqualTo(2);
        for (long i = 0; i < 100; i++) {
            assertThat(domain.translate(IOVA + i * PAGE, false)).isEqualTo(IoPgtable.FAULT);
        }
    }

    @Test
    void withRangeInvalidationARangeTakesOneCommandPerFiveBitGroupOfItsPageCount() {
        boot(SmmuV3Config.DEFAULTS);

        mapTouchUnmapStrict(100); // 100 = 25 << 2: one command

        assertThat(smmu.stats().tlbiVa()).isEqualTo(1);
        assertThat(smmu.stats().syncs()).isEqualTo(1);
        assertThat(domain.tlbiRange(0, 1023, 1)).extracting(CmdqCommand::pages).containsExactly(31L, 992L);
        assertThat(domain.tlbiRange(0, 33, 1)).extracting(CmdqCommand::pages).containsExactly(1L, 32L);
        assertThat(domain.tlbiRange(0x40, 1, 1)).containsExactly(CmdqCommand.tlbiVa(domain.asid(), 0x40, 1));
        assertThat(domain.tlbiRange(0, 100, 1)).extracting(CmdqCommand::firstPfn).containsExactly(0L);
    }

    @Test
    void theRangeFeatureOffSendsOnlyPageCommands() {
        boot(SmmuV3Config.DEFAULTS.withRangeInvalidation(false));
        assertThat(domain.tlbiRange(0x10, 5, 1)).extracting(CmdqCommand::pages).containsOnly(1L).hasSize(5);
        assertThat(domain.tlbiRange(0x10, 5, 1)).extracting(CmdqCommand::firstPfn)
                .containsExactly(0x10L, 0x11L, 0x12L, 0x13L, 0x14L);
    }

    @Test
    void aStrictUnmapEndsTheStaleWindowWhenItsSyncCompletes() {
        boot(SmmuV3Config.DEFAULTS);
        mapTouchUnmapStrict(1);
        assertThat(domain.translate(IOVA, false)).isEqualTo(IoPgtable.FAULT);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.windowsNs().getTotalCount()).isEqualTo(1);
    }

    @Test
    void aQueuedUnmapLeavesTheCachedEntryReachableUntilTheAsidIsFlushed() {
        boot(SmmuV3Config.DEFAULTS);
        domain.mapPages(cpu, IOVA, 0x8000_0000L, PAGE, 1, RW);
        assertThat(domain.translate(IOVA, false)).isEqualTo(0x8000_0000L);
        IotlbGather gather = new IotlbGather();
        gather.setQueued(true);

        domain.unmapPages(cpu, IOVA, PAGE, 1, gather);

        assertThat(gather.isEmpty()).isTrue();
        assertThat(smmu.stats().cmdlists()).isZero();
        assertThat(domain.translate(IOVA, false)).isEqualTo(0x8000_0000L); // the TLB's stale copy
        assertThat(tracker.pendingPages()).isEqualTo(1);

        domain.flushIotlbAll(cpu);

        assertThat(smmu.stats().tlbiAsid()).isEqualTo(1);
        assertThat(smmu.stats().syncs()).isEqualTo(1);
        assertThat(domain.translate(IOVA, false)).isEqualTo(IoPgtable.FAULT);
        assertThat(tracker.pendingPages()).isZero();
    }

    @Test
    void newMappingsNeedNoCommand() {
        boot(SmmuV3Config.DEFAULTS);
        domain.mapPages(cpu, IOVA, 0x8000_0000L, PAGE, 8, RW);
        assertThat(domain.iotlbSyncMap(cpu, IOVA, 8 * PAGE)).isZero();
        assertThat(smmu.stats().cmdlists()).isZero();
    }

    @Test
    void withAtsEveryInvalidationAlsoReachesTheDevicesAtcUnderASyncOfItsOwn() {
        boot(SmmuV3Config.DEFAULTS.withAts(true));
        domain.mapPages(cpu, IOVA, 0x8000_0000L, PAGE, 3, RW);
        domain.translate(IOVA + 2 * PAGE, false); // cached in the ATC and the TLB
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, IOVA + PAGE, PAGE, 2, gather);
        domain.iotlbSync(cpu, gather);

        SmmuV3Stats stats = smmu.stats();
        assertThat(stats.tlbiVa()).isEqualTo(1);
        assertThat(stats.atcInv()).isEqualTo(1);
        assertThat(stats.syncs()).isEqualTo(2);
        assertThat(engine.spent(Cost.SMMU_ATC_INV)).isEqualTo(1);
        assertThat(domain.translate(IOVA + 2 * PAGE, false)).isEqualTo(IoPgtable.FAULT);
        assertThat(domain.translate(IOVA, false)).isEqualTo(0x8000_0000L);

        domain.flushIotlbAll(cpu);
        assertThat(smmu.stats().atcInv()).isEqualTo(2);
        assertThat(smmu.stats().syncs()).isEqualTo(4);
    }

    @Test
    void theAtcInvalidationCoversTheSmallestAlignedSpanHoldingTheRange() {
        boot(SmmuV3Config.DEFAULTS.withAts(true));
        domain.mapPages(cpu, 0x3000, 0x8000_0000L, PAGE, 2, RW); // pfns 3 and 4: span 8 from pfn 0
        domain.translate(0x7000 - PAGE, false); // unrelated pfn 6, in the span, is not mapped
        domain.mapPages(cpu, 0x8000, 0x9000_0000L, PAGE, 1, RW); // pfn 8, outside the span
        domain.translate(0x8000, false);
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, 0x3000, PAGE, 2, gather);
        domain.iotlbSync(cpu, gather);
        assertThat(smmu.atc().lookup(domain.asid(), 8)).isNotZero();
        assertThat(smmu.stats().atcInv()).isEqualTo(1);
    }

    @Test
    void detachedDevicesFaultAndTheMsiWindowIsReserved() {
        boot(SmmuV3Config.DEFAULTS);
        domain.mapPages(cpu, IOVA, 0x8000_0000L, PAGE, 1, RW);
        domain.detachDev(dev);
        assertThat(domain.translate(IOVA, false)).isEqualTo(IoPgtable.FAULT);
        assertThat(smmu.getResvRegions(null)).singleElement()
                .satisfies(r -> assertThat(r.start()).isEqualTo(0x800_0000L));
        assertThat(smmu.name()).isEqualTo("arm-smmu-v3");
    }
}
