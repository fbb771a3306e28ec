package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuGroup;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.MapFailure;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/**
 * dma-iommu at its edges: sizes of 0, segments that do not start or end on a page, the 4 GiB
 * boundary inside a scatter-gather list, apertures that start above 0 or behind chains of reserved
 * regions, the step each failure is counted under, what each call costs, and a domain torn down
 * with entries still queued.
 */
class DmaIommuEdgesTest {

    private static final DmaDirection BIDI = DmaDirection.BIDIRECTIONAL;
    private static final long MS = 1_000_000L;

    private final ManualEngine engine = new ManualEngine(2);
    private final Cpu cpu0 = engine.cpu(0);
    private final Device dev = new Device("nvme0");

    private TestMachine machine(IommuBootParams params, IdealIommu.Config config) {
        return new TestMachine(engine, params, config.withCheckSafety(true), null);
    }

    private TestMachine strict(IdealIommu.Config config) {
        return machine(IommuBootParams.defaults().withStrict(true), config);
    }

    private static IdealIommu.Config geometry(long start, long end) {
        return IdealIommu.Config.defaults().withGeometry(new DomainGeometry(start, end, true));
    }

    @Test
    void aZeroLengthMapIsAnInvalidSizeForPagesAndScatterLists() {
        TestMachine m = strict(IdealIommu.Config.defaults());
        IommuDmaOps ops = m.probe(dev);
        assertThat(ops.mapPage(cpu0, dev, 0x1000, 0, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.mapSg(cpu0, dev, new ScatterList(1), BIDI, 0)).isEqualTo(-Errno.EINVAL);
        assertThat(ops.counters().mapErrorsByCause()).containsEntry(MapFailure.INVALID_SIZE, 2L);
        assertThat(ops.mapPage(cpu0, dev, 0x1000, 1, BIDI, 0)).as("one byte is a page").isNotEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(m.lastDomain().mappedPages()).isEqualTo(1);
    }

    @Test
    void aFailedMapIsCountedAsTheIommusAndItsIovaGivenBack() {
        TestMachine m = strict(geometry(0, 0x4fff));
        IommuDmaOps ops = m.probe(dev);
        m.lastDomain().failIotlbSyncMap(-Errno.ENOMEM, 1);
        assertThat(ops.mapPage(cpu0, dev, 0x1000, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.counters().mapErrorsByCause()).containsOnly(Map.entry(MapFailure.IOMMU_MAP_FAILED, 1L));
    }

    @Test
    void aFailedScatterListMapGivesItsIovaBackAndSaysEnomemOnlyForALackOfMemory() {
        TestMachine m = strict(geometry(0, 0x4fff)); // pfns 1..4
        IommuDmaOps ops = m.probe(dev);
        ScatterList two = new ScatterList(2);
        two.add(0x10000, 0x1000);
        two.add(0x30000, 0x1000);
        m.lastDomain().failIotlbSyncMap(-Errno.ENOMEM, 1);
        assertThat(ops.mapSg(cpu0, dev, two, BIDI, 0)).isEqualTo(-Errno.ENOMEM);
        m.lastDomain().failIotlbSyncMap(-Errno.EIO, 1);
        assertThat(ops.mapSg(cpu0, dev, two, BIDI, 0)).isEqualTo(-Errno.EINVAL);
        assertThat(ops.counters().mapErrorsByCause()).containsEntry(MapFailure.IOMMU_MAP_FAILED, 2L);
        assertThat(m.lastDomain().mappedPages()).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(ops.mapPage(cpu0, dev, 0x1000L * i, 0x1000, BIDI, 0)).as("page %d: both IOVAs came back", i)
                    .isNotEqualTo(DmaOps.DMA_MAPPING_ERROR);
        }
    }

    @Test
    void aSegmentThatStartsInsideAPageTakesEveryPageItTouches() {
        TestMachine m = strict(IdealIommu.Config.defaults());
        IommuDmaOps ops = m.probe(dev);
        ScatterList sg = new ScatterList(2);
        sg.add(0x10100, 0xf80); // 0x10100..0x1107f: two pages
        sg.add(0x30000, 0x1000);
        assertThat(ops.mapSg(cpu0, dev, sg, BIDI, 0)).isEqualTo(2);
        long iova = sg.dmaAddress(0) - 0x100;
        assertThat(sg.dmaAddress(1)).as("the second segment starts after both pages of the first").isEqualTo(iova + 0x2000);
        assertThat(m.lastDomain().mappedPages()).isEqualTo(3);
        var node = ops.iovad().findIova(cpu0, iova >>> 12);
        assertThat(node.pfnLo()).isEqualTo(iova >>> 12);
        assertThat(node.size()).as("the IOVA allocated holds all three pages mapped").isGreaterThanOrEqualTo(3);
        assertThat(m.lastDomain().checker().violations()).isZero();
    }

    @Test
    void aSegmentEndingOnAPageJoinsTheNextAndOneEndingInsideItDoesNot() {
        TestMachine m = strict(IdealIommu.Config.defaults());
        IommuDmaOps ops = m.probe(dev);
        ScatterList joins = new ScatterList(2);
        joins.add(0x10100, 0xf00); // ends at 0x11000
        joins.add(0x30000, 0x1000);
        assertThat(ops.mapSg(cpu0, dev, joins, BIDI, 0)).isEqualTo(1);
        assertThat(joins.dmaLength(0)).isEqualTo(0x1f00);
        ScatterList apart = new ScatterList(2);
        apart.add(0x10100, 0xe00); // ends at 0x10f00
        apart.add(0x30000, 0x1000);
        assertThat(ops.mapSg(cpu0, dev, apart, BIDI, 0)).isEqualTo(2);
    }

    @Test
    void anApertureStartingAbove0IsNeverLeftAndAMaskBelowItIsSaidSo() {
        TestMachine m = strict(geometry(0x8000, 0xbfff)); // pfns 8..11
        IommuDmaOps ops = m.probe(dev);
        for (int i = 0; i < 4; i++) {
            assertThat(ops.mapPage(cpu0, dev, 0x1000L * i, 0x1000, BIDI, 0)).isBetween(0x8000L, 0xbfffL);
        }
        assertThat(ops.mapPage(cpu0, dev, 0, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.counters().mapErrorsByCause()).containsEntry(MapFailure.IOVA_SPACE_EXHAUSTED, 1L);

        Device low = new Device("low");
        TestMachine m2 = strict(geometry(0x8000, 0xbfff));
        IommuDmaOps ops2 = m2.probe(low);
        low.setDmaMaskBits(15); // 0x7fff: below the aperture
        assertThat(ops2.mapPage(cpu0, low, 0, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops2.counters().mapErrorsByCause()).containsEntry(MapFailure.DMA_MASK_BELOW_APERTURE, 1L);
    }

    @Test
    void chainedReservedRegionsPushTheFirstUsablePageOnAndAMaskThatReachesItIsNotBelowTheAperture() {
        IdealIommu.Config cfg = geometry(0, 0xffff).withReserved(List.of(
                new ReservedRegion(0x3000, 0x2000, ReservedRegion.Type.RESERVED), // pfns 3-4
                new ReservedRegion(0x1000, 0x2000, ReservedRegion.Type.RESERVED))); // pfns 1-2, then 3-4: first usable 5
        TestMachine m = strict(cfg);
        IommuDmaOps ops = m.probe(dev);
        dev.setBusDmaLimit(0x5fff); // pfn 5 is usable: one page, then the space is full
        long h = ops.mapPage(cpu0, dev, 0x10000, 0x1000, BIDI, 0);
        assertThat(h).isEqualTo(0x5000);
        assertThat(ops.mapPage(cpu0, dev, 0, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.counters().mapErrorsByCause()).containsOnly(Map.entry(MapFailure.IOVA_SPACE_EXHAUSTED, 1L));
        dev.setBusDmaLimit(0x4fff); // pfn 4: every page it reaches is reserved
        assertThat(ops.mapPage(cpu0, dev, 0, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.counters().mapErrorsByCause()).containsEntry(MapFailure.DMA_MASK_BELOW_APERTURE, 1L);
        ops.unmapPage(cpu0, dev, h, 0x1000, BIDI, 0);
        dev.setBusDmaLimit(0);
        assertThat(ops.mapPage(cpu0, dev, 0x10000, 0x1000, BIDI, 0)).as("no bus limit: the freed page again, from the cache")
                .isEqualTo(0x5000);
    }

    @Test
    void aOnePageReservationAtTheStartMovesTheFirstUsablePageOn() {
        IdealIommu.Config cfg = geometry(0, 0xffff).withReserved(List.of(
                new ReservedRegion(0x1000, 0x1000, ReservedRegion.Type.RESERVED))); // pfn 1 alone
        IommuDmaOps ops = strict(cfg).probe(dev);
        dev.setBusDmaLimit(0x1fff);
        assertThat(ops.mapPage(cpu0, dev, 0x10000, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.counters().mapErrorsByCause()).containsOnly(Map.entry(MapFailure.DMA_MASK_BELOW_APERTURE, 1L));
    }

    @Test
    void aDriverMayAskForTheShortestTimeoutOf1Ms() {
        IdealIommu ideal = new IdealIommu(IdealIommu.Config.defaults());
        TestMachine m = new TestMachine(engine, IommuBootParams.defaults(), ideal, null,
                new DmaIommuOptions(DmaIommuOptions.QueueType.PER_CPU, 256, 1));
        assertThat(m.probe(dev).options().fqTimeoutMs()).isEqualTo(1);
        assertThat(m.dma.warnings()).isEmpty();
    }

    @Test
    void eachCallChargesItsOwnCosts() {
        TestMachine m = strict(IdealIommu.Config.defaults());
        IommuDmaOps ops = m.probe(dev);
        ScatterList sg = new ScatterList(1);
        sg.add(0x10000, 0x1000);
        ops.mapSg(cpu0, dev, sg, BIDI, 0);
        assertThat(engine.spent(Cost.DMA_MAP_CALL)).isEqualTo(1);
        ops.unmapSg(cpu0, dev, sg, BIDI, 0);
        assertThat(engine.spent(Cost.DMA_UNMAP_CALL)).isEqualTo(1);
        assertThat(engine.spent(Cost.PT_WALK)).as("map_sg's unmap walks no table").isZero();
        long h = ops.mapPage(cpu0, dev, 0x10000, 0x1000, BIDI, 0);
        ops.unmapPage(cpu0, dev, h, 0x1000, BIDI, 0);
        assertThat(engine.spent(Cost.PT_WALK)).as("unmap_page's iommu_iova_to_phys").isEqualTo(1);
        assertThat(ops.counters().mapSgs()).isEqualTo(1);
        assertThat(ops.counters().bytesMapped()).isEqualTo(0x2000);
    }

    @Test
    void aDomainTornDownWithEntriesQueuedStopsItsTimer() {
        TestMachine m = machine(IommuBootParams.defaults(), IdealIommu.Config.defaults());
        IommuDmaOps ops = m.probe(dev);
        long h = ops.mapPage(cpu0, dev, 0x10000, 0x1000, BIDI, 0);
        ops.unmapPage(cpu0, dev, h, 0x1000, BIDI, 0);
        assertThat(ops.counters().entriesQueued()).isEqualTo(1);
        var old = m.lastDomain();
        assertThat(ops.iovad().nodeCount()).as("the queued IOVA is still allocated").isPositive();
        IommuGroup g = m.core.group(dev);
        g.unbindDriver();
        g.storeType("DMA");
        engine.advanceBy(100 * MS);
        assertThat(old.flushAlls()).as("the old domain's queue timer was cancelled").isZero();
        assertThat(old.iotlbSyncs()).isZero();
        assertThat(ops.iovad().nodeCount()).as("put_iova_domain freed every IOVA").isZero();
    }
}
