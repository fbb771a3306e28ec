package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepCommandTest {

    private final CliRun cli = new CliRun();

    @Test
    void axesParseAsListsAndRanges() {
        assertThat(SweepAxis.parse("dma=strict,lazy-single").values()).containsExactly("strict", "lazy-single");
        assertThat(SweepAxis.parse("fq-size=256..32768:x2").values())
                .containsExactly("256", "512", "1024", "2048", "4096", "8192", "16384", "32768");
        assertThat(SweepAxis.parse("fq-timeout-ms=1..10:+3").values()).containsExactly("1", "4", "7", "10");
        assertThat(SweepAxis.parse("fq-size=2..5:x1.5").values()).as("whole numbers, always rising").containsExactly("2", "3", "4");
        assertThat(SweepAxis.parse("set:kvm.rpcitExitNs=5000").args("5000"))
                .containsExactly("--set", "kvm.rpcitExitNs=5000");
        assertThat(SweepAxis.parse("cpus=2").args("2")).containsExactly("--cpus", "2");
    }

    @Test
    void badAxesAreOneLineNamingThem() {
        assertThatThrownBy(() -> SweepAxis.parse("dma")).hasMessageContaining("--axis dma is not NAME=VALUES");
        assertThatThrownBy(() -> SweepAxis.parse("dma=a,,b")).hasMessageContaining("empty value");
        assertThatThrownBy(() -> SweepAxis.parse("fq-size=10..1:x2")).hasMessageContaining("starts above its end");
        assertThatThrownBy(() -> SweepAxis.parse("fq-size=0..8:x2")).hasMessageContaining("start above 0 and a factor above 1");
        assertThatThrownBy(() -> SweepAxis.parse("fq-size=1..8:+0")).hasMessageContaining("whole step above 0");
        assertThatThrownBy(() -> SweepAxis.parse("seed=1..100000:+1")).hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> SweepAxis.parse("fq-size=1..99999999999999999999:x2")).hasMessageContaining("at most 18 digits");
    }

    @Test
    void theGridIsEveryCombinationLastAxisFastest() {
        List<SweepAxis> axes = List.of(SweepAxis.parse("a=1,2"), SweepAxis.parse("b=x,y,z"));
        List<List<String>> g = java.util.stream.LongStream.range(0, 6).mapToObj(k -> SweepCommand.valuesAt(axes, k)).toList();
        assertThat(g).containsExactly(List.of("1", "x"), List.of("1", "y"), List.of("1", "z"),
                List.of("2", "x"), List.of("2", "y"), List.of("2", "z"));
    }

    @Test
    void everyValidPointRunsAndTheInvalidOnesAreCountedWithTheirReason() throws Exception {
        assertThat(cli.run("sweep", "--platform", "x86", "--cpus", "2", "--duration-ms", "5", "--format", "json",
                "--axis", "dma=strict,lazy-percpu", "--axis", "fq-size=64,256")).isZero();
        JsonNode rows = new ObjectMapper().readTree(cli.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("axis.dma").asText()).isEqualTo("lazy-percpu");
        assertThat(rows.get(1).path("axis.fq-size").asText()).isEqualTo("256");
        assertThat(rows.get(1).path("run").path("config").path("fqSize").asInt()).isEqualTo(256);
        assertThat(rows.get(0).has("pareto")).isTrue();
        assertThat(cli.err()).contains("skipped 2 of 4 points: --fq-size and --fq-timeout-ms apply to");
    }

    @Test
    void csvHasThePointAndSpecThenTheAxesThenTheFrontierThenTheMetrics() {
        assertThat(cli.run("sweep", "--platform", "lpar", "--cpus", "2", "--duration-ms", "5", "--format", "csv",
                "--axis", "set:s390.lparRpcitNs=1000,4000")).isZero();
        List<String> lines = cli.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("point,spec,axis.set:s390.lparRpcitNs,pareto,config.platform,");
        assertThat(lines.get(1)).matches("0,[0-9a-f]{12},1000,(true|false),lpar,.*");
        assertThat(lines.get(2)).matches("1,[0-9a-f]{12},4000,(true|false),lpar,.*");
    }

    @Test
    void theTableMarksTheFrontier() {
        assertThat(cli.run("sweep", "--platform", "kvm", "--cpus", "2", "--duration-ms", "20",
                "--axis", "dma=strict,lazy-single")).isZero();
        assertThat(cli.out()).containsPattern("(?m)^dma +IOPS +stale p99 +stale max +frontier$")
                .containsPattern("(?m)^strict .*\\*$").contains("* = on the frontier");
    }

    @Test
    void anAxisThatIsNoRunOptionOrIsAlsoFixedIsRefused() {
        assertThat(cli.run("sweep", "--axis", "speed=1,2")).isEqualTo(2);
        assertThat(cli.err()).contains("--axis speed is not a run option");
        CliRun again = new CliRun();
        assertThat(again.run("sweep", "--cpus", "2", "--axis", "cpus=1,2")).isEqualTo(2);
        assertThat(again.err()).contains("--cpus is both an axis and a fixed option");
    }

    @Test
    void aFixedOptionRunDoesNotKnowIsRefusedOnce() {
        assertThat(cli.run("sweep", "--bogus", "1", "--axis", "dma=strict,lazy-single")).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: Unknown options: '--bogus', '1' (an option sweep passes to every run)");
    }

    @Test
    void aGridWithNoValidPointIsAnError() {
        assertThat(cli.run("sweep", "--platform", "x86", "--axis", "dma=legacy,legacy-strict")).isEqualTo(2);
        assertThat(cli.err()).contains("no point of the grid is a valid run (2 skipped)");
    }
}
