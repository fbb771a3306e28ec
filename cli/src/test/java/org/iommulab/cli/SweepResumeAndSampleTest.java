package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepResumeAndSampleTest {

    private static final String[] SWEEP = {"sweep", "--platform", "kvm", "--cpus", "2", "--duration-ms", "10",
        "--axis", "dma=lazy-single,deadline-ranged", "--axis", "fq-size=1024..8192:x2", "--format", "csv"};

    @TempDir
    Path dir;

    @Test
    void aRandomSampleIsDistinctPointsOfTheGridAndTheSeedDecidesWhich() {
        SweepSample s = SweepSample.parse("random:5");
        List<Long> a = s.indices(List.of(4, 5), 1);
        assertThat(a).hasSize(5).doesNotHaveDuplicates().isSorted().allMatch(i -> i >= 0 && i < 20);
        assertThat(s.indices(List.of(4, 5), 1)).isEqualTo(a);
        assertThat(s.indices(List.of(4, 5), 2)).isNotEqualTo(a);
        assertThat(SweepSample.parse("random:50").indices(List.of(4, 5), 1)).hasSize(20);
    }

    @Test
    void aLatinHypercubeTakesEveryValueOfEveryAxisEqually() {
        List<Long> points = SweepSample.parse("lhs:8").indices(List.of(4, 8), 3);
        assertThat(points).hasSize(8);
        List<Long> first = points.stream().map(i -> i / 8).toList();
        List<Long> second = points.stream().map(i -> i % 8).toList();
        assertThat(first.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting())).values())
                .as("4 values, 8 points: each twice").containsOnly(2L);
        assertThat(second).as("8 values, 8 points: each once").doesNotHaveDuplicates();
        assertThatThrownBy(() -> SweepSample.parse("grid:4")).hasMessageContaining("is not random:N or lhs:N");
        assertThatThrownBy(() -> SweepSample.parse("lhs:0")).hasMessageContaining("1 <= N");
    }

    @Test
    void anInterruptedSweepResumedGivesWhatTheWholeSweepGives() throws Exception {
        CliRun whole = new CliRun();
        assertThat(whole.run(SWEEP)).isZero();

        Path journal = dir.resolve("journal.csv");
        CliRun first = new CliRun();
        assertThat(first.run(with(SWEEP, "--resume", journal.toString()))).isZero();
        List<String> lines = Files.readAllLines(journal);
        assertThat(lines).hasSize(9);
        Files.write(journal, lines.subList(0, 4)); // interrupted after three runs
        CliRun resumed = new CliRun();
        assertThat(resumed.run(with(SWEEP, "--resume", journal.toString()))).isZero();

        assertThat(Files.readAllLines(journal)).hasSize(9);
        assertThat(withoutWallTime(resumed.out())).isEqualTo(withoutWallTime(whole.out()));
    }

    @Test
    void aResumeFileOfAnotherSweepIsRefused() throws Exception {
        Path journal = dir.resolve("journal.csv");
        assertThat(new CliRun().run(with(SWEEP, "--resume", journal.toString()))).isZero();
        CliRun other = new CliRun();
        String[] another = with(SWEEP, "--resume", journal.toString());
        another[2] = "lpar";
        assertThat(other.run(another)).isEqualTo(2);
        assertThat(other.err()).contains("holds rows of another sweep");
    }

    @Test
    void aSpecFileIsTheSameSweepAsItsFlags() throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), """
                axes:
                  dma: [lazy-single, deadline-ranged]
                  fq-size: 1024..8192:x2
                run:
                  platform: kvm
                  cpus: 2
                  duration-ms: 10
                """);
        CliRun fromFile = new CliRun();
        assertThat(fromFile.run("sweep", spec.toString(), "--format", "csv")).isZero();
        CliRun fromFlags = new CliRun();
        assertThat(fromFlags.run(SWEEP)).isZero();
        assertThat(withoutWallTime(fromFile.out())).isEqualTo(withoutWallTime(fromFlags.out()));

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "axes: {dma: [strict]}\nruns: {}\n");
        CliRun refused = new CliRun();
        assertThat(refused.run("sweep", bad.toString())).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("iommu-lab: " + bad + ": unknown key 'runs'; allowed: axes, run, sample");
    }

    @Test
    void relativeToRunsEachPointsBaselineAndGivesTheRatio() throws Exception {
        CliRun sweep = new CliRun();
        assertThat(sweep.run("sweep", "--platform", "kvm", "--cpus", "2", "--duration-ms", "10", "--axis",
                "dma=lazy-single", "--axis", "fq-size=1024,4096", "--relative-to", "legacy", "--format", "json")).isZero();
        CliRun legacy = new CliRun();
        assertThat(legacy.run("run", "--platform", "kvm", "--cpus", "2", "--duration-ms", "10", "--dma", "legacy",
                "--format", "json")).isZero();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        double base = mapper.readTree(legacy.out()).path("throughput").path("iops").asDouble();
        var rows = mapper.readTree(sweep.out());
        assertThat(rows).hasSize(2);
        for (var row : rows) {
            var run = row.path("run");
            assertThat(run.path("relativeTo").path("policy").asText()).isEqualTo("legacy");
            assertThat(run.path("relativeTo").path("iops").asDouble())
                    .isCloseTo(run.path("throughput").path("iops").asDouble() / base, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] out = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    /** The CSV without its wall-time and spec columns, which differ between equal sweeps. */
    private static String withoutWallTime(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        int wall = header.indexOf("wallTimeMs");
        int spec = header.indexOf("spec");
        return lines.stream().map(l -> {
            List<String> cells = new java.util.ArrayList<>(Arrays.asList(l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)));
            cells.remove(Math.max(wall, spec));
            cells.remove(Math.min(wall, spec));
            return String.join(",", cells);
        }).collect(Collectors.joining("\n"));
    }
}
