package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.iommulab.platform.PlatformKind;
import org.iommulab.platform.shadow.HypervisorProfile;
import org.iommulab.policy.Policies;
import org.junit.jupiter.api.Test;

class ReproduceCommandTest {

    private final CliRun cli = new CliRun();

    @Test
    void theTableHasEachModeOfTheChosenPlatformAndWhatLimitedIt() {
        assertThat(cli.run("reproduce", "--platform", "lpar", "--cpus", "2", "--duration-ms", "5")).isZero();
        assertThat(cli.out()).contains("== lpar ==").doesNotContain("== zvm").doesNotContain("== kvm")
                .contains("legacy").contains("strict").contains("lazy-percpu").contains("lazy-single")
                .contains("limited by");
    }

    @Test
    void repeatedRunsCarryTheirIntervalAndTheirPlatformAndMode() throws Exception {
        assertThat(cli.run("reproduce", "--platform", "kvm", "--cpus", "2", "--duration-ms", "5", "--repeat", "2",
                "--format", "json")).isZero();
        JsonNode all = new ObjectMapper().readTree(cli.out());
        assertThat(all).hasSize(4);
        assertThat(all.get(0).path("platform").asText()).isEqualTo("kvm");
        assertThat(all.get(3).path("dma").asText()).isEqualTo("lazy-single");
        assertThat(all.get(3).path("runs")).hasSize(2);
        assertThat(all.get(3).path("summary").path("throughput.iops").path("n").asInt()).isEqualTo(2);
        assertThat(all.get(0).path("relativeToLegacy").path("iops").asDouble()).isEqualTo(1.0);
        assertThat(all.get(1).path("relativeToLegacy").path("cpuNsPerIo").asDouble()).isPositive();
    }

    @Test
    void costOverridesReachEveryRun() throws Exception {
        assertThat(cli.run("reproduce", "--platform", "kvm", "--cpus", "2", "--duration-ms", "5",
                "--set", "kvm.rpcitExitNs=1000", "--format", "json")).isZero();
        JsonNode all = new ObjectMapper().readTree(cli.out());
        for (JsonNode run : all) {
            assertThat(run.path("config").toString()).contains("kvm.rpcitExitNs");
        }
    }

    @Test
    void anEmptyPlatformListIsRefused() {
        assertThat(cli.run("reproduce", "--platform", ",")).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: --platform names no platform; give some of lpar, zvm, kvm");
    }

    @Test
    void aPlatformOutsideTheExperimentIsRefused() {
        assertThat(cli.run("reproduce", "--platform", "x86")).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: --platform x86 is not one of lpar, zvm, kvm; --extended adds virtio and x86");
    }

    @Test
    void extendedRunsEveryRegisteredPolicyWhereItRunsAndKvmUnderEachQemuProfile() throws Exception {
        assertThat(cli.run("reproduce", "--extended", "--platform", "kvm,x86", "--cpus", "2", "--duration-ms", "5",
                "--format", "json")).isZero();
        JsonNode all = new ObjectMapper().readTree(cli.out());
        List<String> kvmProfiles = HypervisorProfile.all().stream().filter(h -> h != HypervisorProfile.ZVM)
                .map(HypervisorProfile::name).toList();
        long onX86 = Policies.concrete().stream().filter(p -> p.runsOn(PlatformKind.X86)).count();
        assertThat(all).hasSize(kvmProfiles.size() * Policies.concrete().size() + (int) onX86);
        Set<String> seen = new HashSet<>();
        for (JsonNode run : all) {
            JsonNode config = run.path("config");
            seen.add(config.path("platform").asText() + " " + config.path("hvProfile").asText() + " "
                    + config.path("dma").asText());
            boolean s390 = config.path("platform").asText().equals("kvm");
            assertThat(run.has("relativeToLegacy")).as("a legacy baseline exists on s390 only").isEqualTo(s390);
        }
        assertThat(seen).hasSize(all.size()).contains("kvm qemu-7.1 deadline-ranged", "x86 null deadline");
    }

    @Test
    void theExtendedTableGroupsByMachineAndHasNoBaselineWithoutTheOldScheme() {
        assertThat(cli.run("reproduce", "--extended", "--platform", "x86", "--cpus", "2", "--duration-ms", "5")).isZero();
        assertThat(cli.out()).contains("== x86 ==").contains("deadline-ranged").doesNotContain("legacy")
                .containsPattern("(?m)^strict +\\S+ +- ");
    }

    @Test
    void relativeToDirectAddsTheBaselineOnEachMachineAndARatioToIt() throws Exception {
        assertThat(cli.run("reproduce", "--platform", "lpar,kvm", "--relative-to", "direct", "--cpus", "2",
                "--duration-ms", "5", "--format", "json")).isZero();
        JsonNode all = new ObjectMapper().readTree(cli.out());
        assertThat(all).hasSize(2 * 5);
        for (JsonNode run : all) {
            JsonNode rel = run.path("relativeTo");
            assertThat(rel.path("policy").asText()).isEqualTo("direct");
            if (run.path("config").path("dma").asText().equals("direct")) {
                assertThat(rel.path("iops").asDouble()).isEqualTo(1.0);
            }
        }
        CliRun table = new CliRun();
        assertThat(table.run("reproduce", "--platform", "kvm", "--relative-to", "direct", "--cpus", "2",
                "--duration-ms", "5")).isZero();
        assertThat(table.out()).contains("vs direct").containsPattern("(?m)^direct +\\S+ +\\S+ +1\\.00x ");
        CliRun bad = new CliRun();
        assertThat(bad.run("reproduce", "--relative-to", "nothing")).isEqualTo(2);
        assertThat(bad.err().strip()).startsWith("iommu-lab: ").contains("'nothing'").doesNotContain("\n");
    }
}
