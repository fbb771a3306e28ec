package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HypervisorProfileTest {

    private static final long SDMA = 0x1_0000_0000L;
    private static final long EDMA = 0x1ff_ffff_ffff_ffffL;

    @Test
    void profilesAreSelectedByNameAndTheDefaultIsQemu80() {
        assertThat(HypervisorProfile.byName("qemu-7.1")).isSameAs(HypervisorProfile.QEMU_7_1);
        assertThat(HypervisorProfile.byName("zvm").costs()).isEqualTo(HypervisorCosts.ZVM);
        assertThat(HypervisorProfile.DEFAULT.name()).isEqualTo("qemu-8.0");
        assertThat(HypervisorProfile.all()).extracting(HypervisorProfile::name)
                .containsExactly("qemu-7.1", "qemu-7.2", "qemu-8.0", "qemu-8.2-iommufd", "qemu-10.0", "qemu-10.0-m9.2",
                        "zvm");
    }

    @Test
    void unknownNameIsOneLineNamingTheAllowedOnes() {
        assertThatThrownBy(() -> HypervisorProfile.byName("qemu-9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hypervisor profile 'qemu-9'; allowed: qemu-7.1, qemu-7.2, qemu-8.0, qemu-8.2-iommufd, qemu-10.0, "
                        + "qemu-10.0-m9.2, zvm");
    }

    @Test
    void onlyQemu80ShrinksTheAdvertisedRangeToTheDmaLimit() {
        AdvertisedFunction shrunk = HypervisorProfile.QEMU_8_0.advertise(SDMA, EDMA, 65_535);
        assertThat(shrunk).isEqualTo(new AdvertisedFunction(true, SDMA, 0x1_0fff_efffL, false));

        assertThat(HypervisorProfile.QEMU_7_1.advertise(SDMA, EDMA, 65_535).edma()).isEqualTo(EDMA);
        assertThat(HypervisorProfile.QEMU_7_2.advertise(SDMA, EDMA, 65_535).edma()).isEqualTo(EDMA);
        AdvertisedFunction relaxed = HypervisorProfile.QEMU_10_0.advertise(SDMA, EDMA, 65_535);
        assertThat(relaxed.edma()).isEqualTo(EDMA);
        assertThat(relaxed.relaxedTranslation()).isTrue();
        assertThat(HypervisorProfile.ZVM.advertise(SDMA, EDMA, 65_535).edma()).isEqualTo(EDMA);
    }

    @Test
    void iommufdCountsNothingSoShrinksNothingAndOldMachineTypesOn100KeepTheShrink() {
        assertThat(HypervisorProfile.QEMU_8_2_IOMMUFD.countsDmaEntries()).isFalse();
        assertThat(HypervisorProfile.QEMU_8_2_IOMMUFD.advertise(SDMA, EDMA, 65_535).edma()).isEqualTo(EDMA);
        AdvertisedFunction m92 = HypervisorProfile.QEMU_10_0_M9_2.advertise(SDMA, EDMA, 65_535);
        assertThat(m92.edma()).isEqualTo(0x1_0fff_efffL);
        assertThat(m92.relaxedTranslation()).isTrue();
    }

    @Test
    void onlyQemuBefore72InterceptsPciLoadsAndStores() {
        assertThat(HypervisorProfile.all()).filteredOn(p -> !p.interpretsLoadStore())
                .containsExactly(HypervisorProfile.QEMU_7_1);
    }

    @Test
    void shrinkNeverWidensASmallHostRange() {
        long smallEdma = SDMA + (1 << 20) - 1;
        assertThat(HypervisorProfile.QEMU_8_0.advertise(SDMA, smallEdma, 65_535).edma()).isEqualTo(smallEdma);
    }

    @Test
    void everyProfileSetsTheRefreshBitAndOnlyLaterOnesTheSecondPass() {
        assertThat(HypervisorProfile.all()).allMatch(HypervisorProfile::refresh);
        assertThat(HypervisorProfile.QEMU_7_1.secondPass()).isFalse();
        assertThat(HypervisorProfile.QEMU_7_2.secondPass()).isTrue();
        assertThat(HypervisorProfile.QEMU_7_2.coalesceUnmaps()).isFalse();
        assertThat(HypervisorProfile.QEMU_8_0.coalesceUnmaps()).isTrue();
    }

    @Test
    void invertedHostRangeIsRejected() {
        assertThatThrownBy(() -> HypervisorProfile.QEMU_8_0.advertise(EDMA, SDMA, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above EDMA");
    }
}
