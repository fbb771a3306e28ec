package org.iommulab.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.platform.qemu.VirtioIommuHost;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtioIommuTest {

    private static final int RW = IommuProt.READ | IommuProt.WRITE;
    private static final long PAGE = 4096;
    private static final long FAULT = VirtioIommuBackend.FAULT;

    private ManualEngine engine;
    private Cpu cpu;
    private StaleWindowTracker tracker;
    private VirtioIommuHost host;
    private VirtioIommu viommu;
    private VirtioIommuDomain domain;
    private Device dev;

    @BeforeEach
    void setUp() {
        setUp(VirtioIommuConfig.defaults());
    }

    private void setUp(VirtioIommuConfig config) {
        engine = new ManualEngine(2);
        cpu = engine.cpu(1);
        tracker = new StaleWindowTracker();
        host = new VirtioIommuHost(tracker);
        viommu = new VirtioIommu(engine, config, tracker, host);
        dev = new Device("vfio-nvme0");
        assertThat(viommu.probeDevice(dev)).isZero();
        domain = viommu.domainAllocPaging(dev);
        assertThat(domain.attachDev(dev)).isZero();
    }

    private VirtioIommuStats stats() {
        return viommu.stats();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1, 1", // one page: one piece
        "0, 8, 1", // 8 aligned pages: one piece
        "0, 5, 2", // 4 + 1
        "1, 7, 3", // 1 + 2 + 4
        "3, 5, 2", // pfn 3, then 4..7
        "1, 256, 9", // 1+2+4+...+128, then 1 at pfn 256
        "6, 6, 2", // 2 (pfns 6..7) + 4 (8..11)
        "0x100001, 3, 2", // 1 + 2, far from zero
    })
    void eachRequestIsSplitIntoAlignedPowerOfTwoPieces(long firstPfn, long pages, long pieces) {
        long iova = 0x100_0000L + firstPfn * PAGE;
        domain.mapPages(cpu, iova, 0x4000_0000L, PAGE, pages, RW);
        domain.iotlbSyncMap(cpu, iova, pages * PAGE);
        assertThat(host.vfioMaps()).isEqualTo(pieces);
        assertThat(engine.spent(Cost.VIRTIO_HOST_MAP)).isEqualTo(pieces);
        assertThat(host.pagesMapped()).isEqualTo(pages);
        for (long p = 0; p < pages; p++) {
            assertThat(domain.translate(iova + p * PAGE + 8, true)).isEqualTo(0x4000_0000L + p * PAGE + 8);
        }

        domain.unmapPages(cpu, iova, PAGE, pages, new IotlbGather());
        domain.iotlbSync(cpu, new IotlbGather());
        assertThat(host.vfioUnmaps()).isEqualTo(pieces);
        assertThat(engine.spent(Cost.VIRTIO_HOST_UNMAP)).isEqualTo(pieces);
        assertThat(host.pagesUnmapped()).isEqualTo(pages);
        assertThat(domain.translate(iova, false)).isEqualTo(FAULT);
    }

    @Test
    void mapAndUnmapOnlyQueueAndEachSyncKicksOnce() {
        long attachKicks = stats().kicks();
        assertThat(attachKicks).isEqualTo(1); // the ATTACH request
        domain.mapPages(cpu, 0x10_0000L, 0x20_0000L, PAGE, 1, RW);
        domain.mapPages(cpu, 0x20_0000L, 0x30_0000L, PAGE, 1, RW);
        assertThat(stats().kicks()).isEqualTo(1);
        assertThat(domain.translate(0x10_0000L, false)).isEqualTo(FAULT); // not yet on the host

        assertThat(domain.iotlbSyncMap(cpu, 0x20_0000L, PAGE)).isZero();
        assertThat(stats().kicks()).isEqualTo(2);
        assertThat(domain.translate(0x10_0000L, false)).isEqualTo(0x20_0000L);

        domain.unmapPages(cpu, 0x10_0000L, PAGE, 1, new IotlbGather());
        domain.iotlbSync(cpu, new IotlbGather());
        assertThat(stats().kicks()).isEqualTo(3);

        domain.iotlbSync(cpu, new IotlbGather()); // nothing queued: no notification, no exit
        domain.flushIotlbAll(cpu);
        assertThat(stats().kicks()).isEqualTo(3);
        assertThat(engine.spent(Cost.VIRTIO_KICK)).isEqualTo(3);
        assertThat(stats().mapRequests()).isEqualTo(2);
        assertThat(stats().unmapRequests()).isEqualTo(1);
        assertThat(engine.spent(Cost.VIRTIO_REQUEST)).isEqualTo(4); // attach, 2 maps, 1 unmap
    }

    @Test
    void aFullQueueForcesASync() {
        setUp(VirtioIommuConfig.defaults().withQueueSize(4));
        for (int i = 0; i < 4; i++) {
            domain.mapPages(cpu, 0x10_0000L + i * PAGE, 0x20_0000L + i * PAGE, PAGE, 1, RW);
        }
        assertThat(stats().kicks()).isEqualTo(1);
        assertThat(stats().queueFullSyncs()).isZero();

        domain.mapPages(cpu, 0x10_0000L + 4 * PAGE, 0x20_0000L + 4 * PAGE, PAGE, 1, RW);
        assertThat(stats().queueFullSyncs()).isEqualTo(1);
        assertThat(stats().kicks()).isEqualTo(2);
        assertThat(domain.translate(0x10_0000L + 3 * PAGE, false)).isEqualTo(0x20_0000L + 3 * PAGE);
        assertThat(domain.translate(0x10_0000L + 4 * PAGE, false)).isEqualTo(FAULT); // queued behind

        domain.iotlbSyncMap(cpu, 0x10_0000L + 4 * PAGE, PAGE);
        assertThat(domain.translate(0x10_0000L + 4 * PAGE, false)).isEqualTo(0x20_0000L + 4 * PAGE);
    }

    @Test
    void anUnmappedPageStaysReachableUntilTheKickThatCarriesItsUnmap() {
        domain.mapPages(cpu, 0x10_0000L, 0x7000_0000L, PAGE, 2, RW);
        domain.iotlbSyncMap(cpu, 0x10_0000L, 2 * PAGE);
        engine.advanceBy(1_000);
        IotlbGather gather = new IotlbGather();
        gather.setQueued(true);
        assertThat(domain.unmapPages(cpu, 0x10_0000L, PAGE, 2, gather)).isEqualTo(2 * PAGE);
        assertThat(domain.iovaToPhys(0x10_0000L)).isZero(); // gone from the guest's tree

        engine.advanceBy(40_000);
        assertThat(domain.translate(0x10_1010L, true)).isEqualTo(0x7000_1010L); // still on the host
        assertThat(tracker.pendingPages()).isEqualTo(2);

        domain.flushIotlbAll(cpu);
        assertThat(domain.translate(0x10_1010L, true)).isEqualTo(FAULT);
        assertThat(tracker.pendingPages()).isZero();
        assertThat(tracker.windowsNs().getTotalCount()).isEqualTo(2);
        assertThat(tracker.windowsNs().getMaxValue()).isBetween(39_900L, 40_100L);
    }

    @Test
    void theSyncOfANewMappingAlsoCarriesEveryQueuedUnmap() {
        domain.mapPages(cpu, 0x10_0000L, 0x7000_0000L, PAGE, 1, RW);
        domain.iotlbSyncMap(cpu, 0x10_0000L, PAGE);
        IotlbGather gather = new IotlbGather();
        gather.setQueued(true); // a flush queue defers the sync of this unmap
        domain.unmapPages(cpu, 0x10_0000L, PAGE, 1, gather);
        assertThat(domain.translate(0x10_0000L, false)).isEqualTo(0x7000_0000L);

        domain.mapPages(engine.cpu(0), 0x20_0000L, 0x8000_0000L, PAGE, 1, RW);
        domain.iotlbSyncMap(engine.cpu(0), 0x20_0000L, PAGE); // another CPU's map, same request queue
        assertThat(domain.translate(0x10_0000L, false)).isEqualTo(FAULT);
        assertThat(tracker.pendingPages()).isZero();
    }

    @Test
    void readOnlyMappingsFaultOnWrite() {
        domain.mapPages(cpu, 0x1000, 0x5000, PAGE, 1, IommuProt.READ);
        domain.iotlbSyncMap(cpu, 0x1000, PAGE);
        assertThat(domain.translate(0x1000, false)).isEqualTo(0x5000);
        assertThat(domain.translate(0x1000, true)).isEqualTo(FAULT);
        assertThat(domain.iovaToPhys(0x1fff)).isEqualTo(0x5fff);
    }

    @Test
    void anUnmapThatWouldSplitAMappingUnmapsNothing() {
        domain.mapPages(cpu, 0x10_0000L, 0x20_0000L, PAGE, 4, RW);
        domain.iotlbSyncMap(cpu, 0x10_0000L, 4 * PAGE);
        assertThat(domain.unmapPages(cpu, 0x10_1000L, PAGE, 1, new IotlbGather())).isZero();
        assertThat(stats().unmapRequests()).isZero();
        assertThat(domain.unmapPages(cpu, 0x10_0000L, PAGE, 1, new IotlbGather())).isEqualTo(4 * PAGE);
    }

    @Test
    void mappingsMadeBeforeAttachAreReplayedAndDetachUnmapsThemOnTheHost() {
        Device other = new Device("vfio-nic0");
        VirtioIommuDomain d = viommu.domainAllocPaging(other);
        d.mapPages(cpu, 0x1000, 0x9000, PAGE, 3, RW); // no endpoint: nothing queued
        assertThat(stats().mapRequests()).isZero();
        assertThat(d.translate(0x1000, false)).isEqualTo(FAULT);

        assertThat(d.attachDev(other)).isZero();
        assertThat(d.translate(0x3000, false)).isEqualTo(0xb000);
        assertThat(host.vfioMaps()).isEqualTo(2); // 1 + 2 pages

        d.detachDev(other);
        assertThat(viommu.host().translate(other, 0x3000, false)).isEqualTo(FAULT);
        assertThat(host.vfioUnmaps()).isEqualTo(2);
        assertThat(stats().errors()).isZero();
    }

    @Test
    void shadowOnFlushIsAnOptionOffByDefault() {
        assertThat(dev.iommu().shadowOnFlush()).isFalse();
        assertThat(viommu.capable(dev, IommuCap.DEFERRED_FLUSH)).isTrue();

        setUp(VirtioIommuConfig.defaults().withShadowOnFlush(true));
        assertThat(dev.iommu().shadowOnFlush()).isTrue();
        assertThat(domain.geometry().apertureEnd()).isEqualTo((1L << 39) - 1);
        assertThat(domain.pgsizeBitmap()).isEqualTo(~0xfffL);
        assertThat(viommu.getResvRegions(dev)).singleElement()
                .satisfies(r -> assertThat(r.start()).isEqualTo(0x800_0000L));
    }

    @Test
    void badConfigurationsAreRejected() {
        assertThatThrownBy(() -> new VirtioIommuConfig(100, ~0xfffL, 39, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueSize 100");
        assertThatThrownBy(() -> new VirtioIommuConfig(256, 0x200L, 39, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pgsizeBitmap 0x200");
        assertThatThrownBy(() -> new VirtioIommuConfig(256, ~0xfffL, 20, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputBits 20");
    }
}
