package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code stress}: bad values refused in one line with exit 2; a short run's lines and JSON. */
class StressCommandTest {

    private final CliRun cli = new CliRun();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--threads, 0", "--threads, 1025", "--seconds, 0", "--seconds, 3601", "--ms, 0",
        "--platform, s370", "--dma, auto", "--dma, lazy", "--seed, x", "--format, csv"})
    void badValuesAreOneLineNamingThemAndExitTwo(String option, String value) {
        assertThat(cli.run("stress", option, value)).isEqualTo(2);
        assertThat(cli.err().strip()).contains(value).doesNotContain("\n").doesNotContain("Exception");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void legacyOnlyOnANonS390PlatformIsRefused() {
        assertThat(cli.run("stress", "--platform", "x86", "--dma", "legacy", "--ms", "10")).isEqualTo(2);
        assertThat(cli.err().strip()).contains("legacy").doesNotContain("\n");
    }

    @Test
    void printsOneLinePerPlatformAndModeWithZeroViolations() {
        assertThat(cli.run("stress", "--platform", "lpar,x86", "--dma", "strict,legacy-strict", "--threads", "2",
                "--ms", "300")).isZero();
        List<String> lines = cli.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("lpar strict ");
        assertThat(lines.get(1)).startsWith("lpar legacy-strict ");
        assertThat(lines.get(2)).startsWith("x86 strict ");
        assertThat(lines).allMatch(l -> l.matches(".* maps:\\d+ sg-maps:\\d+ unmaps:\\d+ map-errors:\\d+"
                + " stale-checks:[1-9]\\d* unchecked:0  0 violations"));
    }

    @Test
    void jsonIsAnArrayOfRuns() throws Exception {
        assertThat(cli.run("stress", "--platform", "virtio", "--dma", "strict,lazy-percpu", "--threads", "2", "--ms", "200",
                "--format", "json")).isZero();
        JsonNode j = new ObjectMapper().readTree(cli.out());
        assertThat(j.isArray()).isTrue();
        assertThat(j).hasSize(2);
        assertThat(j.get(0).path("platform").asText()).isEqualTo("virtio");
        assertThat(j.get(0).path("dma").asText()).isEqualTo("strict");
        for (String key : List.of("maps", "sgMaps", "unmaps", "mapErrors", "staleChecks", "uncheckedUnmaps",
                "violations", "firstViolations", "elapsedMs")) {
            assertThat(j.get(1).has(key)).as(key).isTrue();
        }
        assertThat(j.get(1).path("violations").asLong()).isZero();
    }

    @Test
    void aRepeatedPlatformRunsOnceAndOneRunIsStillAnArray() throws Exception {
        assertThat(cli.run("stress", "--platform", "x86,x86", "--dma", "strict", "--threads", "2", "--ms", "50",
                "--format", "json")).isZero();
        JsonNode j = new ObjectMapper().readTree(cli.out());
        assertThat(j.isArray()).isTrue();
        assertThat(j).hasSize(1);
    }
}
