package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.iommulab.ideal.IdealDomain;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
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

class DmaIommuTest {

    private static final long MS = 1_000_000L;
    private static final DmaDirection BIDI = DmaDirection.BIDIRECTIONAL;

    private final ManualEngine engine = new ManualEngine(2);
    private final Cpu cpu0 = engine.cpu(0);
    private final Cpu cpu1 = engine.cpu(1);
    private final Device dev = new Device("nvme0");

    private TestMachine machine(IommuBootParams params, IdealIommu.Config config, DmaIommuOptions user) {
        return new TestMachine(engine, params, config.withCheckSafety(true), user);
    }

    private TestMachine machine(IommuBootParams params) {
        return machine(params, IdealIommu.Config.defaults(), null);
    }

    @Test
    void strictUnmapSyncsAndFreesAtOnce() {
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true));
        IommuDmaOps ops = m.probe(dev);
        assertThat(ops.type()).isEqualTo(DomainType.DMA);
        long h = ops.mapPage(cpu0, dev, 0x1234_5678L, 0x100, BIDI, 0);
        assertThat(h).isBetween(1L, 0xffff_ffffL).matches(a -> (a & 0xfff) == 0x678);
        assertThat(m.lastDomain().iovaToPhys(h)).isEqualTo(0x1234_5678L);

        ops.unmapPage(cpu0, dev, h, 0x100, BIDI, 0);

        IdealDomain pt = m.lastDomain();
        assertThat(pt.iotlbSyncs()).isEqualTo(1);
        assertThat(pt.mappedPages()).isZero();
        assertThat(ops.counters().strictSyncs()).isEqualTo(1);
        assertThat(ops.counters().entriesQueued()).isZero();
        // freed at once: the same CPU gets the same IOVA back from its cache
        assertThat(ops.mapPage(cpu0, dev, 0x9000_0000L, 0x1000, BIDI, 0)).isEqualTo(h & ~0xfffL);
        assertThat(pt.checker().violations()).isZero();
        assertThat(engine.spent(Cost.DMA_MAP_CALL)).isEqualTo(2);
        assertThat(engine.spent(Cost.DMA_UNMAP_CALL)).isEqualTo(1);
    }

    @Test
    void unmappingWhatIsNotMappedIsCounted() {
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true));
        IommuDmaOps ops = m.probe(dev);
        long h = ops.mapPage(cpu0, dev, 0x10_0000L, 0x2000, BIDI, 0);
        ops.unmapPage(cpu0, dev, h, 0x2000, BIDI, 0);
        assertThat(ops.counters().unmapMismatches()).isZero();
        ops.unmapPage(cpu0, dev, h, 0x2000, BIDI, 0);
        assertThat(ops.counters().unmapMismatches()).isEqualTo(1);
    }

    @Test
    void perCpuQueuesDeferTheFlushToTheTimer() {
        TestMachine m = machine(IommuBootParams.defaults());
        IommuDmaOps ops = m.probe(dev);
        assertThat(ops.type()).isEqualTo(DomainType.DMA_FQ);
        assertThat(ops.options()).isEqualTo(DmaIommuOptions.perCpuDefaults());
        long a = ops.mapPage(cpu0, dev, 0x10_0000L, 0x1000, BIDI, 0);
        long b = ops.mapPage(cpu1, dev, 0x20_0000L, 0x1000, BIDI, 0);
        ops.unmapPage(cpu0, dev, a, 0x1000, BIDI, 0);
        ops.unmapPage(cpu1, dev, b, 0x1000, BIDI, 0);
        IdealDomain pt = m.lastDomain();
        assertThat(pt.iotlbSyncs()).isZero();
        assertThat(ops.counters().entriesQueued()).isEqualTo(2);
        assertThat(ops.counters().peakOccupancy()).isEqualTo(1); // one entry in each CPU's queue
        // still queued: a new map cannot get a's IOVA
        long c = ops.mapPage(cpu0, dev, 0x30_0000L, 0x1000, BIDI, 0);
        assertThat(c).isNotEqualTo(a).isNotEqualTo(b);

        engine.advanceBy(10 * MS - 1);
        assertThat(pt.flushAlls()).isZero();
        engine.advanceBy(1);

        DmaIommuSnapshot n = ops.counters();
        assertThat(pt.flushAlls()).isEqualTo(1);
        assertThat(n.timerFlushes()).isEqualTo(1);
        assertThat(n.entriesFreed()).isEqualTo(2);
        assertThat(n.occupancy()).isZero();
        assertThat(pt.checker().violations()).isZero();
        // the timer is re-armed only by the next enqueue
        engine.advanceBy(100 * MS);
        assertThat(pt.flushAlls()).isEqualTo(1);
        ops.unmapPage(cpu1, dev, c, 0x1000, BIDI, 0);
        engine.advanceBy(10 * MS);
        assertThat(ops.counters().timerFlushes()).isEqualTo(2);
        assertThat(ops.counters().entriesFreed()).isEqualTo(3);
    }

    @Test
    void aFullQueueFlushesSynchronously() {
        TestMachine m = machine(IommuBootParams.defaults(), IdealIommu.Config.defaults(),
                DmaIommuOptions.checked(QueueType.PER_CPU, 4, 1000));
        IommuDmaOps ops = m.probe(dev);
        long[] h = new long[4];
        for (int i = 0; i < 4; i++) {
            h[i] = ops.mapPage(cpu0, dev, 0x100_0000L * (i + 1), 0x1000, BIDI, 0);
        }
        for (int i = 0; i < 3; i++) {
            ops.unmapPage(cpu0, dev, h[i], 0x1000, BIDI, 0);
        }
        assertThat(m.lastDomain().flushAlls()).isZero();
        ops.unmapPage(cpu0, dev, h[3], 0x1000, BIDI, 0);

        DmaIommuSnapshot n = ops.counters();
        assertThat(n.queueFullFlushes()).isEqualTo(1);
        assertThat(m.lastDomain().flushAlls()).isEqualTo(1);
        assertThat(n.entriesFreed()).isEqualTo(3);
        assertThat(n.occupancy()).isEqualTo(1);
        assertThat(n.peakOccupancy()).isEqualTo(3);
        assertThat(n.entriesQueued()).isEqualTo(n.entriesFreed() + n.occupancy());
        assertThat(m.lastDomain().checker().violations()).isZero();
    }

    @Test
    void shadowOnFlushGivesOneQueueSharedByAllCpus() {
        TestMachine m = machine(IommuBootParams.defaults(), IdealIommu.Config.defaults().withShadowOnFlush(true), null);
        IommuDmaOps ops = m.probe(dev);
        assertThat(ops.options()).isEqualTo(DmaIommuOptions.singleDefaults());
        long a = ops.mapPage(cpu0, dev, 0x10_0000L, 0x1000, BIDI, 0);
        long b = ops.mapPage(cpu1, dev, 0x20_0000L, 0x1000, BIDI, 0);
        ops.unmapPage(cpu0, dev, a, 0x1000, BIDI, 0);
        ops.unmapPage(cpu1, dev, b, 0x1000, BIDI, 0);
        assertThat(ops.counters().peakOccupancy()).isEqualTo(2);
        engine.advanceBy(999 * MS);
        assertThat(ops.counters().timerFlushes()).isZero();
        engine.advanceBy(MS);
        assertThat(ops.counters().timerFlushes()).isEqualTo(1);
        assertThat(ops.counters().entriesFreed()).isEqualTo(2);
    }

    @Test
    void theGlobalSwitchGivesEveryDeviceTheSingleQueue() {
        TestMachine m = machine(IommuBootParams.defaults().withSingleQueueForAll(true));
        assertThat(m.probe(dev).options()).isEqualTo(DmaIommuOptions.singleDefaults());
    }

    @Test
    void optionsAreSetForStrictDomainsSoALiveUpgradeGetsThem() {
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true),
                IdealIommu.Config.defaults().withShadowOnFlush(true), null);
        IommuDmaOps ops = m.probe(dev);
        assertThat(ops.type()).isEqualTo(DomainType.DMA);
        assertThat(ops.options()).isEqualTo(DmaIommuOptions.singleDefaults());
        m.core.group(dev).bindDriver();
        m.core.group(dev).storeType("DMA-FQ");

        long a = ops.mapPage(cpu0, dev, 0x10_0000L, 0x1000, BIDI, 0);
        long b = ops.mapPage(cpu1, dev, 0x20_0000L, 0x1000, BIDI, 0);
        ops.unmapPage(cpu0, dev, a, 0x1000, BIDI, 0);
        ops.unmapPage(cpu1, dev, b, 0x1000, BIDI, 0);
        assertThat(ops.counters().strictSyncs()).isZero();
        assertThat(ops.counters().peakOccupancy()).isEqualTo(2);
        engine.advanceBy(1000 * MS);
        assertThat(ops.counters().timerFlushes()).isEqualTo(1);
    }

    @Test
    void theDriverTunesTheOptionsAndABadSizeFallsBackWithAWarning() {
        IdealIommu ideal = new IdealIommu(IdealIommu.Config.defaults());
        TestMachine good = new TestMachine(engine, IommuBootParams.defaults(), ideal, null,
                new DmaIommuOptions(QueueType.SINGLE, 1024, 50));
        assertThat(good.probe(new Device("a")).options()).isEqualTo(new DmaIommuOptions(QueueType.SINGLE, 1024, 50));
        assertThat(good.dma.warnings()).isEmpty();

        TestMachine bad = new TestMachine(engine, IommuBootParams.defaults(), ideal, null,
                new DmaIommuOptions(QueueType.SINGLE, 1000, 0));
        assertThat(bad.probe(new Device("b")).options()).isEqualTo(new DmaIommuOptions(QueueType.SINGLE, 256, 10));
        assertThat(bad.dma.warnings()).hasSize(2);
        assertThat(bad.dma.warnings().get(0)).contains("size 1000").contains("using 256");
    }

    @Test
    void userOptionsOverrideButMustBeValid() {
        DmaIommuOptions user = DmaIommuOptions.checked(QueueType.SINGLE, 64, 5);
        TestMachine m = machine(IommuBootParams.defaults(), IdealIommu.Config.defaults(), user);
        assertThat(m.probe(dev).options()).isEqualTo(user);
        assertThatThrownBy(() -> DmaIommuOptions.checked(QueueType.SINGLE, 100, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("flush queue size 100 is not allowed; use a power of 2 from 2 to 1048576");
        assertThatThrownBy(() -> DmaIommuOptions.checked(QueueType.PER_CPU, 256, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout 0 ms");
        assertThatThrownBy(() -> new DmaIommuLayer(engine, IommuBootParams.defaults(),
                new DmaIommuOptions(QueueType.PER_CPU, 3, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 3");
    }

    @Test
    void iovasGoBelow4GiBFirstUnlessForcedac() {
        IommuDmaOps ops = machine(IommuBootParams.defaults()).probe(dev);
        assertThat(ops.mapPage(cpu0, dev, 0x1000, 0x1000, BIDI, 0)).isLessThan(1L << 32);
        Device other = new Device("other");
        IommuDmaOps forced = machine(IommuBootParams.defaults().withForcedac(true)).probe(other);
        assertThat(forced.mapPage(cpu0, other, 0x1000, 0x1000, BIDI, 0)).isGreaterThan(1L << 32);
    }

    @Test
    void afterTheFirstFailureBelow4GiBTheDeviceStopsTrying() {
        long chunk = 64 * 0x1000L; // above the rcache sizes, so frees go back to the tree
        IdealIommu.Config cfg = IdealIommu.Config.defaults()
                .withGeometry(new DomainGeometry(0, (1L << 33) - 1, true))
                .withReserved(List.of(new ReservedRegion(0x1000, (1L << 32) - chunk - 0x1000,
                        ReservedRegion.Type.RESERVED)));
        IommuDmaOps ops = machine(IommuBootParams.defaults().withStrict(true), cfg, null).probe(dev);
        long a = ops.mapPage(cpu0, dev, 0, chunk, BIDI, 0);
        assertThat(a).isEqualTo((1L << 32) - chunk);
        long b = ops.mapPage(cpu0, dev, 0, chunk, BIDI, 0);
        assertThat(b).isGreaterThanOrEqualTo(1L << 32);
        ops.unmapPage(cpu0, dev, a, chunk, BIDI, 0);
        assertThat(ops.mapPage(cpu0, dev, 0, chunk, BIDI, 0)).isGreaterThanOrEqualTo(1L << 32);
    }

    /** A second, independent view: after the failure even a mapping that would fit below 4 GiB goes above. */
    @Test
    void onceBelow4GiBFailedASmallMapThatWouldFitThereGoesAboveToo() {
        long chunk = 64 * 0x1000L;
        IdealIommu.Config cfg = IdealIommu.Config.defaults()
                .withGeometry(new DomainGeometry(0, (1L << 33) - 1, true))
                .withReserved(List.of(new ReservedRegion(0x1000, (1L << 32) - 4 * 0x1000L - 1,
                        ReservedRegion.Type.RESERVED)));
        IommuDmaOps ops = machine(IommuBootParams.defaults().withStrict(true), cfg, null).probe(dev);
        assertThat(ops.mapPage(cpu0, dev, 0, chunk, BIDI, 0)).as("too big for the 4 pages left below 4 GiB")
                .isGreaterThanOrEqualTo(1L << 32);
        assertThat(ops.mapPage(cpu0, dev, 0, 0x1000, BIDI, 0)).isGreaterThanOrEqualTo(1L << 32);
    }

    @Test
    void anExhaustedApertureIsAMappingErrorNotAnException() {
        // pfns 1..4 usable: the aperture ends at 0x4fff and pfn 0 is never handed out
        IdealIommu.Config small = IdealIommu.Config.defaults().withGeometry(new DomainGeometry(0, 0x4fff, true));
        IommuDmaOps ops = machine(IommuBootParams.defaults(), small, null).probe(dev);
        for (int i = 0; i < 4; i++) {
            assertThat(ops.mapPage(cpu0, dev, 0x1000L * i, 0x1000, BIDI, 0)).isNotEqualTo(DmaOps.DMA_MAPPING_ERROR);
        }
        assertThat(ops.mapPage(cpu0, dev, 0x10000, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.counters().mapErrors()).isEqualTo(1);
        assertThat(ops.counters().maps()).isEqualTo(4);
    }

    @Test
    void aScatterListThatFindsNoIovaIsEnomemAndLeavesNothingMapped() {
        IdealIommu.Config small = IdealIommu.Config.defaults().withGeometry(new DomainGeometry(0, 0x4fff, true));
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true), small, null);
        IommuDmaOps ops = m.probe(dev);
        ScatterList sg = new ScatterList(8);
        for (int i = 0; i < 8; i++) {
            sg.add(0x10000L * (i + 1), 0x1000);
        }
        assertThat(ops.mapSg(cpu0, dev, sg, BIDI, 0)).isEqualTo(-Errno.ENOMEM);
        assertThat(sg.dmaNents()).isZero();
        assertThat(ops.counters().mapErrorsByCause()).containsEntry(MapFailure.IOVA_SPACE_EXHAUSTED, 1L);
        assertThat(m.lastDomain().mappedPages()).isZero();
        ScatterList fits = new ScatterList(2);
        fits.add(0x10000, 0x1000);
        fits.add(0x20000, 0x1000);
        assertThat(ops.mapSg(cpu0, dev, fits, BIDI, 0)).as("the space is still whole: one merged segment").isEqualTo(1);
    }

    @Test
    void aFailedSyncMapIsAMappingErrorAndGivesTheIovaBack() {
        IdealIommu.Config small = IdealIommu.Config.defaults().withGeometry(new DomainGeometry(0, 0x4fff, true));
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true), small, null);
        IommuDmaOps ops = m.probe(dev);
        m.lastDomain().failIotlbSyncMap(-Errno.ENOMEM, 1);
        assertThat(ops.mapPage(cpu0, dev, 0x1000, 0x1000, BIDI, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(m.lastDomain().mappedPages()).isZero();
        for (int i = 0; i < 4; i++) {
            assertThat(ops.mapPage(cpu0, dev, 0x1000L * i, 0x1000, BIDI, 0)).isNotEqualTo(DmaOps.DMA_MAPPING_ERROR);
        }
        assertThat(m.lastDomain().checker().violations()).isZero();
    }

    @Test
    void reservedRegionsAreNeverHandedOut() {
        IdealIommu.Config cfg = IdealIommu.Config.defaults()
                .withGeometry(new DomainGeometry(0, 0x8fff, true))
                .withReserved(List.of(new ReservedRegion(0x3000, 0x4000, ReservedRegion.Type.RESERVED)));
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true), cfg, null);
        IommuDmaOps ops = m.probe(dev);
        int mapped = 0;
        while (ops.mapPage(cpu0, dev, 0x1000, 0x1000, BIDI, 0) != DmaOps.DMA_MAPPING_ERROR) {
            mapped++;
        }
        assertThat(mapped).isEqualTo(8 - 4); // pfns 1, 2, 7, 8
        assertThat(m.lastDomain().checker().violations()).isZero();
    }

    @Test
    void mapSgLaysSegmentsOutInOneIovaAndJoinsWhatIsContiguous() {
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true));
        IommuDmaOps ops = m.probe(dev);
        ScatterList sg = new ScatterList(3);
        sg.add(0x10100, 0x200);
        sg.add(0x20000, 0x1000);
        sg.add(0x21000, 0x800);
        assertThat(ops.mapSg(cpu0, dev, sg, DmaDirection.TO_DEVICE, 0)).isEqualTo(2);
        long iova = sg.dmaAddress(0) - 0x100;
        assertThat(sg.dmaLength(0)).isEqualTo(0x200);
        assertThat(sg.dmaAddress(1)).isEqualTo(iova + 0x1000);
        assertThat(sg.dmaLength(1)).isEqualTo(0x1800);
        assertThat(m.lastDomain().iovaToPhys(sg.dmaAddress(1) + 0x1400)).isEqualTo(0x21400);
        assertThat(m.lastDomain().mappedPages()).isEqualTo(3);

        ops.unmapSg(cpu0, dev, sg, DmaDirection.TO_DEVICE, 0);
        assertThat(m.lastDomain().mappedPages()).isZero();
        assertThat(ops.counters().mapSgs()).isEqualTo(1);
        assertThat(ops.counters().unmapSgs()).isEqualTo(1);
        assertThat(m.lastDomain().checker().violations()).isZero();
    }

    @Test
    void dmaSegmentsStopAtTheMaximumSegmentSize() {
        TestMachine m = machine(IommuBootParams.defaults().withStrict(true));
        IommuDmaOps ops = m.probe(dev);
        ScatterList sg = new ScatterList(20);
        for (int i = 0; i < 20; i++) {
            sg.add(0x100_0000L + 0x10_0000L * i, 0x1000); // page-sized, physically scattered
        }
        assertThat(ops.mapSg(cpu0, dev, sg, DmaDirection.FROM_DEVICE, 0)).isEqualTo(2);
        assertThat(sg.dmaLength(0)).isEqualTo(Device.DEFAULT_MAX_SEG_SIZE);
        assertThat(sg.dmaLength(1)).isEqualTo(4 * 0x1000);
        assertThat(sg.dmaAddress(1)).isEqualTo(sg.dmaAddress(0) + Device.DEFAULT_MAX_SEG_SIZE);
        ops.unmapSg(cpu0, dev, sg, DmaDirection.FROM_DEVICE, 0);
        assertThat(m.lastDomain().mappedPages()).isZero();
    }
}
