package org.iommulab.platform.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.intel.X86Iommu;
import org.iommulab.intel.X86IommuConfig;
import org.iommulab.intel.X86IommuDomain;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.pgtable.RadixPageTable;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A guest's virtual VT-d in caching mode: QEMU learns of maps and unmaps only through invalidations. */
class VirtualVtdTest {

    private static final int RW = IommuProt.READ | IommuProt.WRITE;
    private static final long PAGE = 4096;

    private ManualEngine engine;
    private Cpu cpu;
    private StaleWindowTracker tracker;
    private VirtualVtd qemu;
    private X86Iommu iommu;
    private X86IommuDomain domain;
    private IotlbDevice device;

    @BeforeEach
    void setUp() {
        engine = new ManualEngine(1);
        cpu = engine.cpu(0);
        tracker = new StaleWindowTracker();
        qemu = new VirtualVtd(engine, tracker);
        iommu = new X86Iommu(engine, X86IommuConfig.virtualCachingMode(), tracker, qemu);
        Device dev = new Device("nvme0");
        domain = iommu.domainAllocPaging(dev);
        domain.attachDev(dev);
        device = qemu.plug("nvme0", 64);
    }

    @Test
    void aMapIsInvisibleToTheDeviceUntilItsPageSelectiveInvalidationIsResynced() {
        domain.mapPages(cpu, 0x10_0000L, 0x7000_0000L, PAGE, 1, RW);
        assertThat(device.translate(0x10_0000L, true)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);

        domain.iotlbSyncMap(cpu, 0x10_0000L, PAGE);

        assertThat(device.translate(0x10_0010L, true)).isEqualTo(0x7000_0010L);
        assertThat(qemu.stats().exits()).isEqualTo(1);
        assertThat(engine.spent(Cost.VTD_EXIT)).isEqualTo(1);
        assertThat(engine.spent(Cost.KVM_HOST_MAP)).isEqualTo(1);
        // the walk read one entry per level on the way to the page
        assertThat(engine.spent(Cost.VTD_WALK_ENTRY)).isEqualTo(RadixPageTable.LEVELS);
    }

    @Test
    void aReadOnlyPageStaysReadOnlyInTheShadow() {
        domain.mapPages(cpu, 0x10_0000L, 0x7000_0000L, PAGE, 1, IommuProt.READ);
        domain.iotlbSyncMap(cpu, 0x10_0000L, PAGE);
        assertThat(device.translate(0x10_0000L, false)).isEqualTo(0x7000_0000L);
        assertThat(device.translate(0x10_0000L, true)).isEqualTo(IotlbDevice.FAULT_PROTECTION);
    }

    @Test
    void aPageRemappedElsewhereBeforeAnyInvalidationIsUnmappedOnTheHostAndMappedAnew() {
        domain.mapPages(cpu, 0x10_0000L, 0x7000_0000L, PAGE, 1, RW);
        domain.iotlbSyncMap(cpu, 0x10_0000L, PAGE);
        domain.unmapPages(cpu, 0x10_0000L, PAGE, 1, new IotlbGather()); // a queued unmap: no invalidation yet
        domain.mapPages(cpu, 0x10_0000L, 0x7100_0000L, PAGE, 1, RW);
        domain.iotlbSyncMap(cpu, 0x10_0000L, PAGE);
        assertThat(qemu.stats().hostUnmaps()).as("QEMU saw the entry change under it").isEqualTo(1);
        assertThat(device.translate(0x10_0000L, true)).isEqualTo(0x7100_0000L);
    }

    @Test
    void aStrictUnmapIsOneExitAndOneHostUnmapAfterWhichTheDeviceFaults() {
        domain.mapPages(cpu, 0x10_0000L, 0x7000_0000L, PAGE, 1, RW);
        domain.iotlbSyncMap(cpu, 0x10_0000L, PAGE);
        device.translate(0x10_0000L, false);
        IotlbGather gather = new IotlbGather();
        domain.unmapPages(cpu, 0x10_0000L, PAGE, 1, gather);
        assertThat(device.translate(0x10_0000L, false)).as("cached until QEMU unmaps it").isEqualTo(0x7000_0000L);

        domain.iotlbSync(cpu, gather);

        assertThat(device.translate(0x10_0000L, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(qemu.stats().hostUnmaps()).isEqualTo(1);
        assertThat(tracker.pendingPages()).isZero();
    }

    @Test
    void aDomainInvalidationWalksEveryEntryOfEveryTablePresentNotTheAddressSpace() {
        domain.mapPages(cpu, 0, 0x7000_0000L, PAGE, 3, RW);
        long before = engine.spent(Cost.VTD_WALK_ENTRY);

        domain.flushIotlbAll(cpu);

        // root, one table on each of the two levels below it, and the leaf table: 4 x 512 entries
        assertThat(engine.spent(Cost.VTD_WALK_ENTRY) - before).isEqualTo(4L * RadixPageTable.ENTRIES);
        assertThat(qemu.stats().hostMaps()).isEqualTo(3);
    }
}
