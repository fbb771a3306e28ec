package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.iommulab.platform.shadow.GuestSetup.frame;
import static org.iommulab.platform.shadow.GuestSetup.page;

import org.iommulab.kernel.Device;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.DmaTable;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** The device beneath a shadowing hypervisor translates through the shadow, which only RPCIT changes. */
class ShadowedDeviceTest {

    private final ManualEngine engine = new ManualEngine(1);
    private final GuestSetup g = new GuestSetup(engine, HypervisorProfile.DEFAULT, 65_535);
    private final IotlbDevice dev = g.hv.plug(g.fn, 64);

    @Test
    void newMappingIsUnreachableUntilTheRpcitThatAnnouncesIt() {
        g.map(0, 1, true);
        assertThat(dev.translate(page(0), false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);

        g.rpcit(0, 1);

        assertThat(dev.translate(page(0) + 0x10, true)).isEqualTo(frame(0) + 0x10);
    }

    @Test
    void unmappedPagesStayReachableCachedOrNotUntilTheRpcitThatCoversThem() {
        g.map(0, 2, true);
        g.rpcit(0, 2);
        dev.translate(page(0), false); // cached in the IOTLB; page 1 is not

        g.unmap(0, 2);
        assertThat(dev.translate(page(0), true)).isEqualTo(frame(0));
        assertThat(dev.translate(page(1), true)).isEqualTo(frame(1));
        g.rpcit(1, 1);
        assertThat(dev.translate(page(0), true)).isEqualTo(frame(0));
        assertThat(dev.translate(page(1), true)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);

        g.rpcit(0, 1);

        assertThat(dev.translate(page(0), true)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(dev.iotlb().size()).isZero();
    }

    @Test
    void protectedPageIsReadOnlyForTheDevice() {
        g.map(3, 1, false);
        g.rpcit(3, 1);

        assertThat(dev.translate(page(3), false)).isEqualTo(frame(3));
        assertThat(dev.translate(page(3), true)).isEqualTo(IotlbDevice.FAULT_PROTECTION);
    }

    @Test
    void unregisteringTheTablesDropsTheShadowAndItsDmaEntries() {
        g.map(0, 4, true);
        g.rpcit(0, 4);
        dev.translate(page(0), false);

        g.fn.unregisterIoat();

        assertThat(dev.translate(page(0), false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(dev.translate(page(2), false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(g.shadow().shadowEntries()).isZero();
        assertThat(g.shadow().dmaAvail()).isEqualTo(65_535);
        assertThat(g.hv.stats().shadowEntries()).isZero();
    }

    /** A domain change registers other tables without unregistering first: the old shadow must go too. */
    @Test
    void registeringOtherTablesDropsTheShadowOfTheOldOnes() {
        g.map(0, 4, true);
        g.rpcit(0, 4);
        dev.translate(page(0), false);

        g.fn.registerIoat(DmaTable.alloc(new TableMemory()));

        assertThat(dev.translate(page(0), false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(dev.translate(page(3), false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(g.shadow().shadowEntries()).isZero();
        assertThat(g.shadow().dmaAvail()).isEqualTo(65_535);
    }

    @Test
    void relaxedTranslationMapsAllGuestRamWithoutAnyRpcit() {
        ShadowingHypervisor hv = new ShadowingHypervisor(engine, HypervisorProfile.QEMU_10_0);
        ZpciFunction fn = hv.functionBuilder(new Device("d"), GuestSetup.SDMA, GuestSetup.HOST_EDMA).build();
        IotlbDevice d = hv.plug(fn, 16);
        long ram = 1L << 30;

        hv.directMapEnable(fn, ram);

        assertThat(d.translate(GuestSetup.SDMA + 0x1234_5678L, true)).isEqualTo(0x1234_5678L);
        assertThat(d.translate(GuestSetup.SDMA + ram, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(hv.stats().exits()).isZero();
        assertThat(hv.stats().hostMaps()).isZero();
    }

    @Test
    void relaxedTranslationNeedsAProfileThatOffersIt() {
        assertThatThrownBy(() -> g.hv.directMapEnable(g.fn, 1L << 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile qemu-8.0 has no relaxed translation; use qemu-10.0");
    }

    @Test
    void aFunctionOfAnotherPlatformCannotBePlugged() {
        ShadowingHypervisor other = new ShadowingHypervisor(engine, HypervisorProfile.ZVM);
        assertThatThrownBy(() -> other.plug(g.fn, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("belongs to another platform");
    }
}
