package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void repeatGivesEachHeadlineMetricsMeanAndIntervalOverTheSeeds() throws Exception {
        assertThat(run("run", "--platform", "kvm", "--cpus", "2", "--duration-ms", "5", "--repeat", "4",
                "--format", "json")).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.path("repeat").asInt()).isEqualTo(4);
        assertThat(r.path("runs")).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(r.path("runs").get(i).path("config").path("seed").asLong()).isEqualTo(1 + i);
        }
        JsonNode iops = r.path("summary").path("throughput.iops");
        assertThat(iops.path("n").asInt()).isEqualTo(4);
        assertThat(iops.path("ci95Low").asDouble()).isLessThan(iops.path("mean").asDouble());
        assertThat(iops.path("ci95High").asDouble()).isGreaterThan(iops.path("mean").asDouble());
        assertThat(iops.path("min").asDouble()).isLessThan(iops.path("max").asDouble());
    }

    @Test
    void repeatTableShowsMeanAndHalfWidth() {
        assertThat(run("run", "--platform", "lpar", "--cpus", "2", "--duration-ms", "5", "--repeat", "3")).isZero();
        assertThat(out.toString()).contains("mean of 3").contains("+/- 95%").contains("throughput.iops")
                .contains("over 3 seeds");
    }

    @Test
    void theTableEndsWithWhatLimitedTheRun() {
        assertThat(run("run", "--platform", "zvm", "--dma", "strict", "--duration-ms", "20")).isZero();
        assertThat(out.toString()).containsPattern("limited by zvm-global-lock: zvm-global-lock busy \\d+% of the run");
    }

    @Test
    void everyPlatformModeAndWorkloadWritesTheSameCsvHeader() {
        java.util.Set<String> headers = new java.util.HashSet<>();
        java.util.List<String> runs = new java.util.ArrayList<>();
        for (String platform : new String[] {"lpar", "zvm", "kvm", "virtio", "x86"}) {
            for (String dma : new String[] {"auto", "legacy", "legacy-strict", "strict", "lazy-percpu", "lazy-single"}) {
                if (!dma.startsWith("legacy") || !platform.equals("virtio") && !platform.equals("x86")) {
                    runs.add("--platform " + platform + " --dma " + dma);
                }
            }
        }
        runs.add("--workload netperf");
        runs.add("--workload mapbench --dma-bits 64 --set kvm.rpcitExitNs=100");
        for (String args : runs) {
            out.getBuffer().setLength(0);
            assertThat(run(("run --cpus 2 --duration-ms 1 --format csv " + args).split(" "))).as(args).isIn(0, 1);
            headers.add(out.toString().lines().findFirst().orElseThrow());
        }
        assertThat(headers).as("one header for %d runs", runs.size()).hasSize(1);
        assertThat(headers.iterator().next()).doesNotContain("locks.").doesNotContain("metrics.")
                .doesNotContain("warnings.");
    }

    @Test
    void theConfigurationShowsTheQueueTheKernelChose() throws Exception {
        assertThat(run("run", "--platform", "zvm", "--cpus", "2", "--duration-ms", "1", "--format", "json")).isZero();
        JsonNode config = new ObjectMapper().readTree(out.toString()).path("config");
        assertThat(config.path("fqSize").asInt()).isEqualTo(32768);
        assertThat(config.path("fqTimeoutMs").asInt()).isEqualTo(1000);
        out.getBuffer().setLength(0);
        assertThat(run("run", "--platform", "zvm", "--dma", "strict", "--cpus", "2", "--duration-ms", "1",
                "--format", "json")).isZero();
        config = new ObjectMapper().readTree(out.toString()).path("config");
        assertThat(config.path("fqSize").isNull()).as("strict has no queue").isTrue();
    }

    @Test
    void theTickIsS390sHundredByDefaultElsewhereAThousandAndSettable() throws Exception {
        for (String[] expect : new String[][] {{"lpar", "100"}, {"x86", "1000"}}) {
            out.getBuffer().setLength(0);
            assertThat(run("run", "--platform", expect[0], "--cpus", "1", "--duration-ms", "1", "--format", "json")).isZero();
            assertThat(new ObjectMapper().readTree(out.toString()).path("config").path("hz").asText()).isEqualTo(expect[1]);
        }
        out.getBuffer().setLength(0);
        assertThat(run("run", "--platform", "kvm", "--hz", "250", "--cpus", "1", "--duration-ms", "1", "--format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).path("config").path("hz").asInt()).isEqualTo(250);
    }

    @Test
    void relativeToRunsTheBaselineOnTheSameMachineAndGivesTheRatio() throws Exception {
        assertThat(run("run", "--platform", "x86", "--dma", "direct", "--relative-to", "direct", "--cpus", "2",
                "--duration-ms", "2", "--format", "json")).isZero();
        JsonNode rel = new ObjectMapper().readTree(out.toString()).path("relativeTo");
        assertThat(rel.path("policy").asText()).isEqualTo("direct");
        assertThat(rel.path("iops").asDouble()).as("a run against itself").isEqualTo(1.0);
        assertThat(run("run", "--relative-to", "direct", "--repeat", "2", "--duration-ms", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--relative-to with --repeat");
    }

    @Test
    void anOverrideNothingChargedIsAWarning() {
        assertThat(run("run", "--platform", "lpar", "--duration-ms", "5", "--set", "kvm.rpcitExitNs=5")).isZero();
        assertThat(err.toString()).contains("warning: --set kvm.rpcitExitNs=5 changed nothing");
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        assertThat(run("run", "--platform", "LPAR", "--dma", "Strict", "--duration-ms", "1", "--format", "CSV")).isZero();
        assertThat(out.toString()).startsWith("config.platform,");
    }

    @Test
    void noCommandOrHelpListsTheCommands() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("Commands:").contains("reproduce").contains("run");
        out.getBuffer().setLength(0);
        assertThat(run("help")).isZero();
        assertThat(out.toString()).contains("Commands:");
    }

    @Test
    void jsonHasEveryDocumentedKey() throws Exception {
        assertThat(run("run", "--platform", "kvm", "--dma", "lazy-single", "--cpus", "2", "--duration-ms", "5",
                "--format", "json")).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        for (String path : new String[] {"config", "io.submitted", "io.completed", "io.failed", "throughput.iops",
                "throughput.bytesPerSec", "rpcit.global", "rpcit.syncMap", "rpcit.sync", "rpcit.outOfResource",
                "pages.mapped", "pages.unmapped", "flushQueue.fullFlushes", "flushQueue.timerFlushes",
                "staleWindowNs.p50", "staleWindowNs.p99", "staleWindowNs.max", "staleWindowPeakPages",
                "hypervisor.exits", "hypervisor.pagesWalked", "hypervisor.hostMaps", "hypervisor.hostUnmaps",
                "hypervisor.shadowPeakEntries", "limitedBy.resource", "limitedBy.busyFraction", "limitedBy.detail",
                "virtualTimeNs", "wallTimeMs"}) {
            JsonNode node = r;
            for (String part : path.split("\\.")) {
                node = node.path(part);
            }
            assertThat(node.isMissingNode()).as(path).isFalse();
        }
        assertThat(r.path("io").path("submitted").asLong()).isPositive()
                .isEqualTo(r.path("io").path("completed").asLong() + r.path("io").path("failed").asLong());
        assertThat(r.path("config").path("hvProfile").asText()).isEqualTo("qemu-8.0");
    }

    @Test
    void aRunInWhichNothingCompletesSaysWhyAndExitsNonZero() throws Exception {
        // dma_map_benchmark's default 32-bit mask ends below s390's DMA aperture, which starts at 4 GiB
        assertThat(run("run", "--workload", "mapbench", "--cpus", "2", "--duration-ms", "2", "--format", "json"))
                .isEqualTo(RunCommand.NOTHING_COMPLETED);
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.path("io").path("completed").asLong()).isZero();
        assertThat(r.path("io").path("mapErrorsByCause").path("dmaMaskBelowAperture").asLong()).isPositive();
        assertThat(err.toString()).startsWith("iommu-lab run: warning: nothing completed: all ")
                .contains("the device's DMA mask ends below the DMA aperture", "DMA mask 0xffffffff, aperture from 0x100000000")
                .hasLineCount(1);
    }

    @Test
    void aRunThatLosesSomeIosNamesTheCauseButSucceeds() throws Exception {
        // QEMU 8.0's aperture is 256 MiB; 8 NIC queues of receive buffers outgrow it
        assertThat(run("run", "--workload", "netperf", "--duration-ms", "200", "--format", "json")).isZero();
        JsonNode io = new ObjectMapper().readTree(out.toString()).path("io");
        assertThat(io.path("failed").asLong()).isPositive();
        assertThat(io.path("mapErrorsByCause").path("iovaSpaceExhausted").asLong()).isPositive();
        assertThat(err.toString()).matches("iommu-lab run: warning: \\d+ of \\d+ I/Os \\([0-9.]+%\\) failed; .*"
                + "the IOVA space ran out.*256.00 MiB\\)\\s*");
    }

    @Test
    void aCleanRunPrintsNoWarning() {
        assertThat(run("run", "--cpus", "2", "--duration-ms", "5")).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void mapbenchWithAWideEnoughMaskMapsOnS390() throws Exception {
        assertThat(run("run", "--platform", "lpar", "--workload", "mapbench", "--dma-bits", "64", "--threads", "2",
                "--cpus", "2", "--duration-ms", "2", "--format", "json")).isZero();
        JsonNode io = new ObjectMapper().readTree(out.toString()).path("io");
        assertThat(io.path("completed").asLong()).isPositive();
        assertThat(io.path("failed").asLong()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--platform s390 | platform 's390'",
        "--dma lazy | DMA mode 'lazy'",
        "--platform x86 --dma legacy | x86",
        "--dma strict --fq-size 64 | --fq-size",
        "--dma lazy-single --fq-size 1000 | 1000",
        "--workload fio --threads 4 | --threads",
        "--set kvm.rpcitExitNs=fast | fast",
        "--set nosuch=1 | 'nosuch'",
        "--cpus 0 | cpus 0",
        "--format xml | xml",
        "--platform lpar --hv-profile qemu-7.1 | --hv-profile",
        "--hv-profile qemu-6.0 | qemu-6.0",
        "--repeat 0 | --repeat 0",
        "--fq-size 0 | --fq-size 0",
        "--fq-timeout-ms 0 | --fq-timeout-ms 0",
        "--platform zvm --hv-profile qemu-7.1 | qemu-7.1",
        "--set kvm.rpcitExitNs=9223372036854775807 | 9223372036854775807",
        "--bs 2097152 --iodepth 65535 --numjobs 4096 | --numjobs 4096",
        "--repeat 1001 | --repeat 1001",
        "--hz 200 | --hz 200",
        "--hz 0 | --hz 0",
        "--device ssd | 'ssd'",
        "--workload netperf --device nvme | --device",
        "--workload netperf --nic-gbps 0 | nicGbps 0",
        "--functions 0 | --functions 0",
        "--rcache-max-order 0 | --rcache-max-order 0",
        "--rcache-max-order 17 | --rcache-max-order 17",
        "--opt-size-cap maybe | --opt-size-cap maybe",
        "--platform kvm --dma legacy --functions 2 | --functions applies"})
    void badValuesAreOneLineNamingThemAndExitTwo(String args, String named) {
        assertThat(run(("run --duration-ms 1 " + args).split(" "))).isEqualTo(2);
        String message = err.toString().strip();
        assertThat(message).contains(named).doesNotContain("\n").doesNotContain("Exception").startsWith("iommu-lab: ");
    }
}
