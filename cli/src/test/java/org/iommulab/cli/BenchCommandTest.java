package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code bench}: the kernel tool's option checks (one line naming the value, exit 2) and its output
 * (three kernel lines and the summary; the same as JSON). Short runs; timing is printed, never
 * asserted.
 */
class BenchCommandTest {

    private final CliRun cli = new CliRun();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "-t, 0, threads", "-t, 1025, threads",
        "-s, 0, seconds", "-s, 301, seconds",
        "--ms, 0, run time", "--ms, 300001, run time",
        "-x, -1, transmit delay", "-x, 10000001, transmit delay",
        "-b, 19, dma mask", "-b, 65, dma mask",
        "-d, 3, direction", "-d, -1, direction",
        "-g, 0, granule", "-g, 1025, granule",
        "-t, many, many",
        "--platform, s370, s370", "--dma, lazy, lazy", "--costs, some, some"})
    void badValuesAreOneLineNamingThemAndExitTwo(String option, String value, String named) {
        assertThat(cli.run("bench", option, value)).isEqualTo(2);
        String e = cli.err().strip();
        assertThat(e).contains(named).contains(value).doesNotContain("\n").doesNotContain("Exception");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void legacyModeOffS390IsRefused() {
        assertThat(cli.run("bench", "--platform", "x86", "--dma", "legacy", "--ms", "10")).isEqualTo(2);
        assertThat(cli.err().strip()).contains("legacy").contains("x86").doesNotContain("\n");
    }

    @Test
    void printsTheKernelToolsThreeLinesThenTheSummary() {
        assertThat(cli.run("bench", "--platform", "x86", "--dma", "lazy-percpu", "-t", "2", "-g", "2", "-d", "1",
                "--ms", "200")).isZero();
        List<String> lines = cli.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("dma mapping benchmark: threads:2 seconds:0 node:-1 dir:TO_DEVICE granule: 2");
        assertThat(lines.get(1)).matches("average map latency\\(us\\):\\d+\\.\\d standard deviation:\\d+\\.\\d");
        assertThat(lines.get(2)).matches("average unmap latency\\(us\\):\\d+\\.\\d standard deviation:\\d+\\.\\d");
        assertThat(lines.get(3)).matches("map\\+unmap pairs/s:\\d+ pairs:[1-9]\\d* map errors:0 flushes: queue-full:\\d+"
                + " timer:\\d+ strict-syncs:0 global-rpcits:0 sync-rpcits:0 peak queue occupancy:\\d+");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void nodeIsAcceptedAndIgnoredWithANote() {
        assertThat(cli.run("bench", "--platform", "virtio", "-n", "1", "--ms", "50")).isZero();
        assertThat(cli.err().strip()).contains("-n 1 ignored").doesNotContain("\n");
        assertThat(cli.out().lines().findFirst().orElseThrow()).contains("node:1");
    }

    @Test
    void jsonIsOneObjectWithTheSameFigures() throws Exception {
        assertThat(cli.run("bench", "--platform", "lpar", "--dma", "strict", "-b", "64", "-t", "1", "--ms", "100",
                "--format", "json")).isZero();
        JsonNode j = new ObjectMapper().readTree(cli.out());
        assertThat(j.isObject()).isTrue();
        assertThat(j.path("config").path("platform").asText()).isEqualTo("lpar");
        assertThat(j.path("config").path("dma").asText()).isEqualTo("strict");
        assertThat(j.path("config").path("dmaBits").asInt()).isEqualTo(64);
        assertThat(j.path("mapLatencyUs").has("average")).isTrue();
        assertThat(j.path("unmapLatencyUs").has("stddev")).isTrue();
        long pairs = j.path("pairs").asLong();
        assertThat(pairs).isPositive();
        assertThat(j.path("mapErrors").asLong()).isZero();
        assertThat(j.path("flushes").path("strictSyncs").asLong()).isEqualTo(pairs);
        assertThat(j.path("flushes").path("syncRpcits").asLong()).isEqualTo(pairs);
        assertThat(j.has("pairsPerSec")).isTrue();
        assertThat(j.has("peakQueueOccupancy")).isTrue();
    }

    @Test
    void aMaskBelowTheS390ApertureNamesThatCauseAndExitsOne() {
        assertThat(cli.run("bench", "--platform", "kvm", "-t", "1", "--ms", "20")).isEqualTo(1);
        assertThat(cli.err()).contains("DMA mask 0xffffffff, aperture from 0x100000000").doesNotContain("try -b 64");
    }

    @Test
    void secondsAndMillisecondsTogetherAreRefused() {
        assertThat(cli.run("bench", "-s", "2", "--ms", "100")).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: -s 2 and --ms 100 both give the run time; give one");
    }

    @Test
    void jsonConfigHoldsWhatIsNeededToRerun() throws Exception {
        assertThat(cli.run("bench", "--platform", "x86", "--dma", "lazy-single", "--fq-size", "64", "--costs",
                "emulate", "--set", "x86.invWaitNs=10", "-t", "1", "--ms", "20", "--format", "json")).isZero();
        var config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.out()).path("config");
        assertThat(config.path("costs").asText()).isEqualTo("emulate");
        assertThat(config.path("fqSize").asInt()).isEqualTo(64);
        assertThat(config.path("fqTimeoutMs").asInt()).isEqualTo(1000);
        assertThat(config.path("costOverrides").get(0).asText()).isEqualTo("x86.invWaitNs=10");
    }
}
