package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

    @TempDir
    Path dir;

    private Path result(String name, String... args) throws Exception {
        CliRun cli = new CliRun();
        List<String> all = new ArrayList<>(List.of("run", "--cpus", "2", "--duration-ms", "5", "--format", "json"));
        all.addAll(List.of(args));
        assertThat(cli.run(all.toArray(String[]::new))).as(cli.err()).isZero();
        Path p = dir.resolve(name);
        Files.writeString(p, cli.out());
        return p;
    }

    @Test
    void theDifferingConfigurationAndEveryMetricWithItsRatio() throws Exception {
        Path a = result("a.json", "--platform", "kvm");
        Path b = result("b.json", "--platform", "kvm", "--set", "kvm.rpcitExitNs=5000");
        CliRun cli = new CliRun();
        assertThat(cli.run("compare", a.toString(), b.toString(), "--format", "json")).isZero();
        JsonNode rows = new ObjectMapper().readTree(cli.out());
        JsonNode first = rows.get(0);
        assertThat(first.path("key").asText()).isEqualTo("config.costOverrides.0");
        assertThat(first.path("a").isNull()).isTrue();
        assertThat(first.path("b").asText()).isEqualTo("kvm.rpcitExitNs=5000");
        boolean sawIops = false;
        for (JsonNode r : rows) {
            assertThat(r.path("key").asText()).isNotEqualTo("config.platform").isNotEqualTo("wallTimeMs");
            if (r.path("key").asText().equals("throughput.iops")) {
                sawIops = true;
                assertThat(r.path("ratio").asDouble()).isEqualTo(r.path("b").asDouble() / r.path("a").asDouble());
            }
        }
        assertThat(sawIops).isTrue();
    }

    @Test
    void aFileThatIsNotOneRunIsOneLineNamingIt() throws Exception {
        Path a = result("a.json", "--platform", "x86");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[1, 2");
        CliRun cli = new CliRun();
        assertThat(cli.run("compare", a.toString(), bad.toString())).isEqualTo(2);
        assertThat(cli.err().strip()).startsWith("iommu-lab: " + bad + " is not JSON: ").doesNotContain("\n");
        Path list = dir.resolve("list.json");
        Files.writeString(list, "[]");
        CliRun again = new CliRun();
        assertThat(again.run("compare", a.toString(), list.toString())).isEqualTo(2);
        assertThat(again.err()).contains("is not the result of one 'run --format json'");
        CliRun missing = new CliRun();
        assertThat(missing.run("compare", a.toString(), dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json: no such file");
    }
}
