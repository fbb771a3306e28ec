package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two shards of a sweep, each in a process of its own, merge into the sweep run whole. */
class SweepShardTest {

    private static final String[] SWEEP = {"sweep", "--platform", "kvm", "--cpus", "2", "--duration-ms", "10",
        "--axis", "dma=strict,lazy-single,deadline-ranged", "--axis", "fq-size=256,4096", "--format", "json"};

    @TempDir
    Path dir;

    /** {@code iommu-lab args...} in a new JVM, its standard output kept in {@code out}. */
    private static void inProcess(Path out, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor()).as(String.join(" ", args)).isZero();
    }

    private static String withoutWallTime(Path p) throws Exception {
        return String.join("\n", Files.readAllLines(p).stream().filter(l -> !l.contains("\"wallTimeMs\"")).toList());
    }

    @Test
    void theMergedShardsAreTheWholeSweep() throws Exception {
        Path whole = dir.resolve("whole.json");
        inProcess(whole, SWEEP);
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path part = dir.resolve("part" + i + ".json");
            List<String> args = new ArrayList<>(List.of(SWEEP));
            args.addAll(List.of("--shard", i + "/2"));
            inProcess(part, args.toArray(String[]::new));
            parts.add(part.toString());
        }
        CliRun merge = new CliRun();
        assertThat(merge.run("merge", parts.get(1), parts.get(0))).as(merge.err()).isZero();
        Path merged = dir.resolve("merged.json");
        Files.writeString(merged, merge.out());
        assertThat(withoutWallTime(merged)).isEqualTo(withoutWallTime(whole));
    }

    @Test
    void partsOfAnotherSweepOrGivenTwiceAreRefused() throws Exception {
        CliRun a = new CliRun();
        assertThat(a.run("sweep", "--platform", "x86", "--cpus", "2", "--duration-ms", "5", "--axis", "dma=strict",
                "--format", "json", "--shard", "1/1")).isZero();
        Path pa = dir.resolve("a.json");
        Files.writeString(pa, a.out());
        CliRun b = new CliRun();
        assertThat(b.run("sweep", "--platform", "x86", "--cpus", "2", "--duration-ms", "5", "--axis", "dma=lazy-percpu",
                "--format", "json", "--shard", "1/1")).isZero();
        Path pb = dir.resolve("b.json");
        Files.writeString(pb, b.out());
        CliRun pareto = new CliRun();
        assertThat(pareto.run("pareto", pa.toString())).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(pareto.out()).get(0).path("pareto").asBoolean())
                .as("one run is its own frontier").isTrue();
        CliRun other = new CliRun();
        assertThat(other.run("merge", pa.toString(), pb.toString())).isEqualTo(2);
        assertThat(other.err()).contains("comes from another sweep");
        CliRun twice = new CliRun();
        assertThat(twice.run("merge", pa.toString(), pa.toString())).isEqualTo(2);
        assertThat(twice.err()).contains("repeats point 0");
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "[]");
        CliRun none = new CliRun();
        assertThat(none.run("merge", empty.toString())).isEqualTo(2);
        assertThat(none.err()).contains("hold no rows of a sweep");
        Path notCsv = dir.resolve("not.csv");
        Files.writeString(notCsv, "a: [1, 2\n");
        CliRun csv = new CliRun();
        assertThat(csv.run("merge", notCsv.toString())).isEqualTo(2);
        assertThat(csv.err()).contains("hold no rows of a sweep's CSV output");
        CliRun table = new CliRun();
        assertThat(table.run("sweep", "--axis", "dma=strict", "--shard", "1/2")).isEqualTo(2);
        assertThat(table.err()).contains("--shard needs --format json or csv");
    }
}
