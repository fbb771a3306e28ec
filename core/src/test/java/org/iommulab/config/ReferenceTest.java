package org.iommulab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.lab.Scenario;
import org.iommulab.platform.PlatformKind;
import org.iommulab.platform.shadow.HypervisorProfile;
import org.iommulab.sim.Cost;
import org.iommulab.workload.FioOptions;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    @Test
    void theCostsAreExactlyTheModelsCostsInTheSameOrder() {
        assertThat(Reference.names("costs")).containsExactlyElementsOf(
                Arrays.stream(Cost.values()).map(Cost::key).toList());
    }

    @Test
    void everyProfileAndPlatformOfTheFileIsTheOneTheModelUses() {
        assertThat(Reference.names("hypervisorProfiles", "profiles"))
                .containsExactlyElementsOf(HypervisorProfile.all().stream().map(HypervisorProfile::name).toList());
        assertThat(HypervisorProfile.DEFAULT.name()).isEqualTo(Reference.text("hypervisorProfiles", "default"));
        assertThat(Reference.names("kernel", "hz")).containsExactlyElementsOf(
                Arrays.stream(PlatformKind.values()).map(PlatformKind::cliName).toList());
    }

    @Test
    void theModelsDefaultsAreTheFilesValues() {
        assertThat(Cost.DMA_MAP_CALL.defaultNs()).isEqualTo(Reference.longValue("costs", "dma.mapCallNs", "ns"));
        assertThat(DmaIommuOptions.singleDefaults().fqSize()).isEqualTo(32768);
        assertThat(DmaIommuOptions.perCpuDefaults().fqTimeoutMs()).isEqualTo(10);
        assertThat(Scenario.DEFAULT_CPUS).isEqualTo(Reference.integer("machine", "cpus"));
        assertThat(PlatformKind.SMMUV3.defaultHz()).isEqualTo(250);
        assertThat(FioOptions.defaults().iodepth()).isEqualTo(Reference.integer("workloads", "fio", "iodepth"));
        assertThat(HypervisorProfile.QEMU_8_0.coalesceUnmaps()).isTrue();
        assertThat(HypervisorProfile.ZVM.resync()).isEqualTo(HypervisorProfile.Resync.CHANGED_ENTRIES);
    }

    @Test
    void aMissingPathOrAValueOfTheWrongTypeIsNamed() {
        assertThatThrownBy(() -> Reference.integer("machine", "sockets"))
                .hasMessage(Reference.RESOURCE + " has no machine.sockets");
        assertThatThrownBy(() -> Reference.integer("costs", "dma.mapCallNs", "source"))
                .hasMessageContaining("costs.dma.mapCallNs.source is not an int");
        assertThatThrownBy(() -> Reference.section("machine").bool("cpus"))
                .hasMessageContaining("machine.cpus is not true or false");
    }

    @Test
    void theTextIsTheFileWithItsComments() {
        assertThat(Reference.fileText()).startsWith("# The reference configuration of iommu-lab").contains("costs:");
    }
}
