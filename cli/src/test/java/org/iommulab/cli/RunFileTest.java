package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --config}: a run kept in a file, overridden by flags, and a result fed back. */
class RunFileTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String withoutWallTime(String json) {
        return json.lines().filter(l -> !l.contains("\"wallTimeMs\"")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void aResultFedBackRunsAgainAsItRan() throws Exception {
        CliRun first = new CliRun();
        assertThat(first.run("run", "--platform", "zvm", "--dma", "deadline-ranged", "--max-stale-ms", "3", "--iodepth", "8",
                "--cpus", "2", "--duration-ms", "20", "--set", "zvm.rpcitExitNs=12000", "--format", "json")).isZero();
        Path result = write("result.json", first.out());
        CliRun again = new CliRun();
        assertThat(again.run("run", "--config", result.toString(), "--format", "json")).as(again.err()).isZero();
        assertThat(withoutWallTime(again.out())).isEqualTo(withoutWallTime(first.out()));
    }

    @Test
    void aYamlSubsetWithFlagsThatOverrideIt() throws Exception {
        Path yaml = write("kvm.yaml", """
                platform: kvm
                dma: lazy-single
                fqSize: 4096
                cpus: 4
                durationMs: 10
                workloadOptions:
                  iodepth: 4
                costOverrides:
                  kvm.rpcitExitNs: 8000
                """);
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--config", yaml.toString(), "--cpus", "2", "--format", "json")).as(cli.err()).isZero();
        JsonNode config = new ObjectMapper().readTree(cli.out()).path("config");
        assertThat(config.path("cpus").asInt()).as("the flag wins").isEqualTo(2);
        assertThat(config.path("fqSize").asInt()).isEqualTo(4096);
        assertThat(config.path("workloadOptions").path("iodepth").asInt()).isEqualTo(4);
        assertThat(config.path("costOverrides").get(0).asText()).isEqualTo("kvm.rpcitExitNs=8000");
    }

    @Test
    void aValueTheRunRefusesIsOneLineNamingTheLineOfItsKey() throws Exception {
        Path cpus = write("cpus.yaml", "platform: kvm\ncpus: 5000\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--config", cpus.toString())).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: " + cpus + " line 2: cpus 5000; allowed 1..1024");

        Path fq = write("fq.yaml", "platform: kvm\ndma: lazy-single\nfqSize: 100\n");
        cli = new CliRun();
        assertThat(cli.run("run", "--config", fq.toString())).isEqualTo(2);
        assertThat(cli.err().strip()).startsWith("iommu-lab: " + fq + " line 3: flush queue size 100 is not allowed");
    }

    @Test
    void anUnknownKeyIsOneLineWithFileLineAndTheAllowedKeys() throws Exception {
        Path yaml = write("bad.yaml", "platform: kvm\nspeed: 3\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--config", yaml.toString())).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: " + yaml + " line 2: unknown key 'speed'; allowed:"
                + " ats, costOverrides, cpus, dma, dmaResolved, durationMs, faults, fqSize, fqTimeoutMs, functions, guestMemoryGiB,"
                + " hvProfile, hz, optSizeCap, platform, rcacheMaxOrder, seed, smmuRangeInv, workload, workloadOptions");
    }

    @Test
    void aWrongTypeNamesTheLineAndTheOption() throws Exception {
        Path json = write("bad.json", "{\n  \"platform\": \"kvm\",\n  \"cpus\": \"eight\"\n}\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--config", json.toString())).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: " + json + " line 3: Invalid value for option '--cpus':"
                + " 'eight' is not an int");
        Path nested = write("nested.yaml", "cpus:\n  a: 1\n");
        CliRun again = new CliRun();
        assertThat(again.run("run", "--config", nested.toString())).isEqualTo(2);
        assertThat(again.err()).contains("line 1: cpus must be a single value, not object");
    }

    @Test
    void aDerivedKeyThatDiffersFromWhatTheRunDerivesIsRefused() throws Exception {
        Path yaml = write("derived.yaml", "platform: kvm\nworkloadOptions:\n  seed: 5\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--config", yaml.toString())).isEqualTo(2);
        assertThat(cli.err()).contains(" line 3: workloadOptions.seed is derived (1 for this run), not an option");
    }

    @Test
    void brokenMissingAndNonObjectFilesAreOneLine() throws Exception {
        Path broken = write("broken.yaml", "a: [1, 2\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--config", broken.toString())).isEqualTo(2);
        assertThat(cli.err().strip()).startsWith("iommu-lab: " + broken + " line 1: not valid YAML: ").doesNotContain("\n");
        CliRun missing = new CliRun();
        assertThat(missing.run("run", "--config", dir.resolve("none.json").toString())).isEqualTo(2);
        assertThat(missing.err()).contains("none.json: no such file");
        CliRun list = new CliRun();
        assertThat(list.run("run", "--config", write("list.json", "[1]").toString())).isEqualTo(2);
        assertThat(list.err()).contains("holds no object");
    }

    @Test
    void aProfileAppliesItsCostsToEveryReproduceRunAndSetWinsOverIt() throws Exception {
        Path profile = write("profile.yaml", "platform: kvm\ncostOverrides:\n  kvm.rpcitExitNs: 20000\n  kvm.hostMapNs: 2500\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("reproduce", "--platform", "kvm", "--cpus", "2", "--duration-ms", "5", "--profile",
                profile.toString(), "--set", "kvm.hostMapNs=3000", "--format", "json")).as(cli.err()).isZero();
        JsonNode runs = new ObjectMapper().readTree(cli.out());
        assertThat(runs).hasSize(4);
        for (JsonNode r : runs) {
            assertThat(r.path("config").path("costOverrides").toString())
                    .isEqualTo("[\"kvm.hostMapNs=3000\",\"kvm.rpcitExitNs=20000\"]");
        }
        CliRun bad = new CliRun();
        assertThat(bad.run("run", "--profile", write("bad.yaml", "costOverrides:\n  kvm.nope: 1\n").toString())).isEqualTo(2);
        assertThat(bad.err()).contains("unknown cost parameter 'kvm.nope'");
    }
}
