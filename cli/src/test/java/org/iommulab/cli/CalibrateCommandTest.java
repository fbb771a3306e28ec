package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic truth: the model run with hidden costs gives the measurements, and calibrate finds the costs. */
class CalibrateCommandTest {

    @TempDir
    Path dir;

    private static double iops(String... args) throws Exception {
        CliRun cli = new CliRun();
        String[] all = new String[args.length + 3];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--format";
        all[args.length + 2] = "json";
        assertThat(cli.run(all)).as(cli.err()).isZero();
        return new ObjectMapper().readTree(cli.out()).path("throughput").path("iops").asDouble();
    }

    @Test
    void twoHiddenCostsAreRecoveredFromTwoMeasurementsOnKvm() throws Exception {
        String hidden = "--set";
        double strict = iops("--platform", "kvm", "--dma", "strict", "--cpus", "4", "--duration-ms", "50",
                hidden, "kvm.rpcitLockedNs=6000", hidden, "kvm.hostUnmapNs=5000");
        double ratio = strict / iops("--platform", "kvm", "--dma", "legacy", "--cpus", "4", "--duration-ms", "50",
                hidden, "kvm.rpcitLockedNs=6000", hidden, "kvm.hostUnmapNs=5000");
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, """
                platform: kvm
                free: [kvm.rpcitLockedNs, kvm.hostUnmapNs]
                measurements:
                  - run: {dma: strict, cpus: 4, duration-ms: 50}
                    metric: throughput.iops
                    value: %s
                    tolerance: "1%%"
                  - run: {dma: strict, cpus: 4, duration-ms: 50}
                    relativeTo: {dma: legacy}
                    metric: throughput.iops
                    value: %s
                    tolerance: "1%%"
                """.formatted(strict, ratio));
        Path profile = dir.resolve("kvm-profile.yaml");
        CliRun cli = new CliRun();
        assertThat(cli.run("calibrate", m.toString(), "--save", profile.toString(), "--format", "json")).as(cli.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(cli.out());
        JsonNode params = out.path("parameters");
        assertThat(params.get(0).path("fitted").asDouble()).isCloseTo(6000, org.assertj.core.data.Percentage.withPercentage(10));
        for (JsonNode r : out.path("measurements")) {
            assertThat(Math.abs(r.path("residualInTolerances").asDouble())).isLessThanOrEqualTo(1.0);
        }
        // the saved profile, applied, gives the fitted output
        double applied = iops("--config", profile.toString(), "--dma", "strict", "--cpus", "4", "--duration-ms", "50");
        assertThat(applied).isEqualTo(out.path("measurements").get(0).path("fitted").asDouble());
    }

    @Test
    void aParameterNoMeasurementMovesIsReportedAsNotIdentifiable() throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, """
                platform: x86
                free: [zvm.rpcitExitNs]
                measurements:
                  - run: {dma: strict, cpus: 2, duration-ms: 5}
                    metric: throughput.iops
                    value: 100000
                """);
        CliRun cli = new CliRun();
        assertThat(cli.run("calibrate", m.toString())).isZero();
        assertThat(cli.out()).containsPattern("zvm.rpcitExitNs +5000 +\\d+ +\\S+ +NO");
        assertThat(cli.err()).contains("zvm.rpcitExitNs is not identifiable from these measurements");
    }

    @Test
    void badMeasurementFilesAreOneLine() throws Exception {
        Path m = dir.resolve("bad.yaml");
        Files.writeString(m, "platform: kvm\nfree: [nope.cost]\nmeasurements:\n  - run: {dma: strict}\n    metric: throughput.iops\n    value: 1\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("calibrate", m.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("unknown cost parameter 'nope.cost'");
        Files.writeString(m, "a: [1, 2\n");
        CliRun yaml = new CliRun();
        assertThat(yaml.run("calibrate", m.toString())).isEqualTo(2);
        assertThat(yaml.err().strip()).startsWith("iommu-lab: " + m + " line 1: not valid YAML: ").doesNotContain("\n");
        Files.writeString(m, "platform: kvm\nfree: [kvm.rpcitExitNs]\nmeasurements: []\n");
        CliRun empty = new CliRun();
        assertThat(empty.run("calibrate", m.toString())).isEqualTo(2);
        assertThat(empty.err()).contains("'measurements' must be a non-empty list");
        Files.writeString(m, "platform: kvm\nfree: [kvm.rpcitExitNs]\nmeasurements:\n  - run: {speed: 3}\n    metric: x\n    value: 1\n");
        CliRun option = new CliRun();
        assertThat(option.run("calibrate", m.toString())).isEqualTo(2);
        assertThat(option.err()).contains("measurement 1: Unknown options: '--speed'");
        Files.writeString(m, "platform: kvm\nfree: [kvm.rpcitExitNs]\nmeasurements:\n  - run: {dma: strict}\n"
                + "    relativeTo: {dma: legacy}\n    metric: throughput.iops\n    value: 0\n");
        CliRun ratio = new CliRun();
        assertThat(ratio.run("calibrate", m.toString())).isEqualTo(2);
        assertThat(ratio.err()).contains("'value' must be a number above 0 (a ratio)");
    }

    @Test
    void oneHiddenCostLiesInsideTheReportedInterval() throws Exception {
        double strict = iops("--platform", "kvm", "--dma", "strict", "--cpus", "4", "--duration-ms", "50",
                "--set", "kvm.rpcitLockedNs=8000");
        Path m = dir.resolve("one.yaml");
        Files.writeString(m, """
                platform: kvm
                free: [kvm.rpcitLockedNs]
                measurements:
                  - run: {dma: strict, cpus: 4, duration-ms: 50}
                    metric: throughput.iops
                    value: %s
                    tolerance: "2%%"
                """.formatted(strict));
        CliRun cli = new CliRun();
        assertThat(cli.run("calibrate", m.toString(), "--format", "json")).as(cli.err()).isZero();
        JsonNode p = new ObjectMapper().readTree(cli.out()).path("parameters").get(0);
        assertThat(p.path("low").asLong()).isLessThanOrEqualTo(8000).isLessThanOrEqualTo(p.path("fitted").asLong());
        assertThat(p.path("high").asLong()).isGreaterThanOrEqualTo(8000).isGreaterThanOrEqualTo(p.path("fitted").asLong());
    }

    @Test
    void withoutAFreeListTheChargedAssumptionsAreTheDefaultAndTooManyAreRefusedByName() throws Exception {
        Path m = dir.resolve("nofree.yaml");
        Files.writeString(m, "platform: kvm\nmeasurements:\n  - run: {dma: strict, cpus: 2, duration-ms: 5}\n"
                + "    metric: throughput.iops\n    value: 100000\n");
        CliRun cli = new CliRun();
        assertThat(cli.run("calibrate", m.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("assumption-marked costs, too many to fit at once; name at most 8 in 'free': ")
                .contains("kvm.rpcitExitNs").doesNotContain("s390.lparRpcitNs");
    }

    @Test
    void aHiddenLparCostIsRecoveredOnTheFastDriveAndPredictionsMatchTheFittedModel() throws Exception {
        double strict = iops("--platform", "lpar", "--device", "nvme-fast", "--dma", "strict", "--cpus", "4",
                "--duration-ms", "20", "--set", "s390.lparRpcitNs=3500");
        Path m = dir.resolve("lpar.yaml");
        Files.writeString(m, """
                platform: lpar
                free: [s390.lparRpcitNs]
                measurements:
                  - run: {device: nvme-fast, dma: strict, cpus: 4, duration-ms: 20}
                    metric: throughput.iops
                    value: %s
                    tolerance: "1%%"
                """.formatted(strict));
        Path p = dir.resolve("predict.yaml");
        Files.writeString(p, """
                scenarios:
                  - run: {device: nvme-fast, dma: lazy-percpu, cpus: 4, duration-ms: 20}
                    metric: throughput.iops
                """);
        CliRun cli = new CliRun();
        assertThat(cli.run("calibrate", m.toString(), "--predict", p.toString(), "--format", "json")).as(cli.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(cli.out());
        JsonNode param = out.path("parameters").get(0);
        assertThat(param.path("low").asLong()).isLessThanOrEqualTo(3500);
        assertThat(param.path("high").asLong()).isGreaterThanOrEqualTo(3500);
        JsonNode prediction = out.path("predictions").get(0);
        double atFit = iops("--platform", "lpar", "--device", "nvme-fast", "--dma", "lazy-percpu", "--cpus", "4",
                "--duration-ms", "20", "--set", "s390.lparRpcitNs=" + param.path("fitted").asLong());
        assertThat(prediction.path("predicted").asDouble()).isEqualTo(atFit);
        assertThat(prediction.path("low").asDouble()).isLessThanOrEqualTo(atFit);
        assertThat(prediction.path("high").asDouble()).isGreaterThanOrEqualTo(atFit);
    }

    @Test
    void aBadPredictionFileIsOneLine() throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, "platform: lpar\nfree: [s390.lparRpcitNs]\nmeasurements:\n  - run: {dma: strict, cpus: 1,"
                + " duration-ms: 1}\n    metric: throughput.iops\n    value: 1000\n");
        Path p = dir.resolve("p.yaml");
        Files.writeString(p, "scenarios: []\n");
        CliRun empty = new CliRun();
        assertThat(empty.run("calibrate", m.toString(), "--predict", p.toString())).isEqualTo(2);
        assertThat(empty.err().strip()).isEqualTo("iommu-lab: " + p + ": 'scenarios' must be a non-empty list");
        Files.writeString(p, "scenarios:\n  - run: {speed: 3}\n    metric: throughput.iops\n");
        CliRun option = new CliRun();
        assertThat(option.run("calibrate", m.toString(), "--predict", p.toString())).isEqualTo(2);
        assertThat(option.err()).contains("scenario 1: Unknown options: '--speed'").doesNotContain("Exception");
    }

    @Test
    void anOptimiserStoppedByItsBudgetReportsTheBestPointSoFarAndWarns() throws Exception {
        Path m = dir.resolve("budget.yaml");
        Files.writeString(m, """
                platform: kvm
                free: [kvm.rpcitLockedNs, kvm.hostMapNs]
                measurements:
                  - run: {dma: strict, cpus: 2, duration-ms: 2}
                    metric: throughput.iops
                    value: 12345
                """);
        CliRun cli = new CliRun();
        assertThat(cli.run("calibrate", m.toString(), "--max-evaluations", "10")).as(cli.err()).isZero();
        assertThat(cli.err()).contains("had not converged after --max-evaluations 10").doesNotContain("Exception");
        assertThat(cli.out()).contains("kvm.rpcitLockedNs");
    }
}
