package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.junit.jupiter.api.Test;

/** The registry as users see it: {@code policies}, the help of {@code --dma} and its errors. */
class PoliciesCommandTest {

    @Test
    void listsEveryRegisteredPolicyWithItsPlatforms() throws Exception {
        CliRun cli = new CliRun();
        assertThat(cli.run("policies", "--format", "json")).isZero();
        JsonNode all = new ObjectMapper().readTree(cli.out());
        assertThat(all).hasSize(Policies.all().size());
        for (int i = 0; i < all.size(); i++) {
            InvalidationPolicy p = Policies.all().get(i);
            assertThat(all.get(i).path("name").asText()).isEqualTo(p.name());
            assertThat(all.get(i).path("description").asText()).isEqualTo(p.description());
        }
        assertThat(all.get(Policies.all().indexOf(Policies.LEGACY)).path("platforms").toString())
                .isEqualTo("[\"lpar\",\"zvm\",\"kvm\"]");
    }

    @Test
    void theTableHasALinePerPolicy() {
        CliRun cli = new CliRun();
        assertThat(cli.run("policies")).isZero();
        for (InvalidationPolicy p : Policies.all()) {
            assertThat(cli.out()).containsPattern("(?m)^" + p.name() + " +");
        }
    }

    @Test
    void runHelpListsTheRegistry() {
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--help")).isZero();
        assertThat(cli.out().replaceAll("\\s+", " ")).contains(Policies.names(Policies.all()));
    }

    @Test
    void anUnknownPolicyIsOneLineNamingTheRegisteredOnes() {
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--dma", "fastest")).isEqualTo(2);
        assertThat(cli.err()).contains("'fastest'").contains(Policies.names(Policies.all()));
        assertThat(cli.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void aPolicyOnAPlatformItDoesNotRunOnSaysWhereItRuns() {
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--platform", "x86", "--dma", "legacy")).isEqualTo(2);
        assertThat(cli.err()).contains("legacy does not run on x86; it runs on lpar, zvm, kvm");
    }
}
