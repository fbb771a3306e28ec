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

class ReplayCommandTest {

    private static final String CAPTURE = """
            # tracer: nop
                         fio-2231    [003] ..... 5123.000100: dma_map_phys: 0000:01:00.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 phys_addr=1a2b3000 attrs=
                      <idle>-0       [003] d.h1. 5123.000900: dma_unmap_phys: 0000:01:00.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 attrs=
                      <idle>-0       [003] d.h1. 5123.002400: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000fffff040 flags=0x0000
            """;

    @TempDir
    Path dir;

    @Test
    void jsonHoldsTheCountsTheDevicesAndEachFindingWithItsLines() throws Exception {
        Path trace = Files.writeString(dir.resolve("t.txt"), CAPTURE);
        CliRun cli = new CliRun();
        assertThat(cli.run("replay", trace.toString(), "--format", "json")).isZero();
        JsonNode out = new ObjectMapper().readTree(cli.out());
        assertThat(out.path("events").path("parsed").asLong()).isEqualTo(3);
        assertThat(out.path("events").path("skipped").asLong()).isEqualTo(1);
        assertThat(out.path("devices").get(0).asText()).isEqualTo("0000:01:00.0");
        JsonNode f = out.path("findings").get(0);
        assertThat(f.path("kind").asText()).isEqualTo("fault-after-unmap");
        assertThat(f.path("iova").asText()).isEqualTo("0xfffff040");
        assertThat(f.path("lines").toString()).isEqualTo("[3,4]");
    }

    @Test
    void replayDrivesTheDevicesMapsAndUnmapsThroughEachPolicy() throws Exception {
        StringBuilder capture = new StringBuilder("# tracer: nop\n");
        for (int i = 0; i < 50; i++) {
            long addr = 0xfff00000L - i * 4096L;
            capture.append(String.format("  fio-1 [%03d] ..... 100.%06d: dma_map_phys: 0000:01:00.0 dir=FROM_DEVICE"
                    + " dma_addr=%x size=4096 phys_addr=1000 attrs=%n", i % 2, i * 20, addr));
            capture.append(String.format("  fio-1 [%03d] ..... 100.%06d: dma_unmap_phys: 0000:01:00.0 dir=FROM_DEVICE"
                    + " dma_addr=%x size=4096 attrs=%n", i % 2, i * 20 + 10, addr));
        }
        capture.append("  fio-1 [000] ..... 100.002000: dma_map_phys: 0000:02:00.0 dir=TO_DEVICE dma_addr=1000 size=512"
                + " phys_addr=1000 attrs=\n");
        Path trace = Files.writeString(dir.resolve("pairs.txt"), capture);
        CliRun cli = new CliRun();
        assertThat(cli.run("replay", trace.toString(), "--platform", "x86", "--cpus", "2", "--dma", "strict,lazy-percpu",
                "--format", "json")).isZero();
        JsonNode replay = new ObjectMapper().readTree(cli.out()).path("replay");
        assertThat(replay).hasSize(2);
        assertThat(replay.get(0).path("policy").asText()).isEqualTo("strict");
        assertThat(replay.get(0).path("config").path("workloadOptions").path("device").asText()).isEqualTo("0000:01:00.0");
        for (JsonNode r : replay) {
            assertThat(r.path("io").path("completed").asLong()).as("every map and unmap pair replayed").isEqualTo(50);
            assertThat(r.path("pages").path("unmapped").asLong()).isEqualTo(50);
        }
        assertThat(replay.get(0).path("staleWindowNs").path("max").asLong())
                .as("strict invalidates at each unmap").isLessThan(replay.get(1).path("staleWindowNs").path("max").asLong());

        CliRun unknown = new CliRun();
        assertThat(unknown.run("replay", trace.toString(), "--dma", "strict", "--device", "eth9")).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("iommu-lab: --device eth9 has no map or unmap in " + trace
                + "; it has 0000:01:00.0, 0000:02:00.0, or give all");
    }

    @Test
    void aRunsTraceReplayedUnderItsPlatformAndPolicyGivesItsMapUnmapAndFlushCounts() throws Exception {
        JsonNode[] both = roundTrip("mapbench.trace", "lpar", "strict", "--workload", "mapbench", "--threads", "2",
                "--dma-bits", "64", "--duration-ms", "3");
        assertThat(both[0].path("pages").path("mapped").asLong()).isGreaterThan(100);
        assertThat(both[1].path("pages")).isEqualTo(both[0].path("pages"));
        assertThat(both[1].path("rpcit")).isEqualTo(both[0].path("rpcit"));
        assertThat(both[2].path("findings")).isEmpty();
    }

    @Test
    void aFioRunsScatterGatherTraceReplaysToItsCountsToo() throws Exception {
        JsonNode[] both = roundTrip("fio.trace", "kvm", "lazy-single", "--duration-ms", "10");
        assertThat(Files.readString(dir.resolve("fio.trace"))).contains("dma_map_sg: nvme0 dir=FROM_DEVICE dma_addrs={0x");
        assertThat(both[0].path("io").path("completed").asLong()).isGreaterThan(100);
        assertThat(both[1].path("io").path("completed")).isEqualTo(both[0].path("io").path("completed"));
        assertThat(both[1].path("pages")).isEqualTo(both[0].path("pages"));
        assertThat(both[1].path("rpcit")).isEqualTo(both[0].path("rpcit"));
    }

    /**
     * Runs {@code run --trace-out} on {@code platform} under {@code dma} with {@code runArgs}, then
     * replays the trace the same way: the run's JSON, the replay's entry, the replay's whole JSON.
     */
    private JsonNode[] roundTrip(String file, String platform, String dma, String... runArgs) throws Exception {
        Path trace = dir.resolve(file);
        List<String> args = new ArrayList<>(List.of("run", "--platform", platform, "--dma", dma));
        args.addAll(List.of(runArgs));
        args.addAll(List.of("--trace-out", trace.toString(), "--format", "json"));
        CliRun run = new CliRun();
        assertThat(run.run(args.toArray(String[]::new))).as(run.err()).isZero();
        CliRun replay = new CliRun();
        assertThat(replay.run("replay", trace.toString(), "--platform", platform, "--dma", dma, "--format", "json"))
                .as(replay.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode whole = json.readTree(replay.out());
        return new JsonNode[] {json.readTree(run.out()), whole.path("replay").get(0), whole};
    }

    @Test
    void anAccessAfterUnmapInTheCaptureReachesThePageUnderALazyPolicyAndFaultsUnderStrict() throws Exception {
        Path trace = Files.writeString(dir.resolve("fault.txt"), """
                # tracer: nop
                  fio-1 [003] ..... 5123.000100: dma_map_phys: 0000:01:00.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 phys_addr=1a2b3000 attrs=
                  fio-1 [003] ..... 5123.000900: dma_unmap_phys: 0000:01:00.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096 attrs=
                  <idle>-0 [003] d.h1. 5123.002400: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000fffff040 flags=0x0001
                """);
        for (String platform : new String[] {"x86", "smmuv3", "kvm"}) {
            CliRun cli = new CliRun();
            assertThat(cli.run("replay", trace.toString(), "--platform", platform, "--dma", "strict,lazy-percpu",
                    "--format", "json")).isZero();
            JsonNode replay = new ObjectMapper().readTree(cli.out()).path("replay");
            assertThat(replay.get(0).path("notes").get(0).asText()).as(platform + " strict")
                    .startsWith("the access after unmap at line 4").endsWith("faulted");
            assertThat(replay.get(1).path("notes").get(0).asText()).as(platform + " lazy-percpu")
                    .endsWith("would still have reached the unmapped page");
        }
    }

    @Test
    void whatTheReplayPassesOverIsSaid() throws Exception {
        Path trace = Files.writeString(dir.resolve("over.txt"), """
                  fio-1 [000] ..... 1.000100: dma_unmap_phys: 0000:01:00.0 dir=TO_DEVICE dma_addr=2000 size=4096 attrs=
                  fio-1 [000] ..... 1.000200: dma_map_phys: 0000:01:00.0 dir=TO_DEVICE dma_addr=3000 size=4096 phys_addr=3000 attrs=
                """);
        CliRun cli = new CliRun();
        assertThat(cli.run("replay", trace.toString(), "--platform", "x86", "--dma", "strict", "--format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(cli.out()).path("replay").get(0).path("notes").toString())
                .contains("1 unmaps of addresses the replay had not mapped").contains("1 mappings the capture never unmaps");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        CliRun missing = new CliRun();
        assertThat(missing.run("replay", dir.resolve("none.txt").toString())).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("iommu-lab: " + dir.resolve("none.txt") + ": no such file");

        Path notes = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        CliRun empty = new CliRun();
        assertThat(empty.run("replay", notes.toString())).isEqualTo(2);
        assertThat(empty.err()).contains("holds no trace record in 1 lines");

        Path trace = Files.writeString(dir.resolve("t.txt"), CAPTURE);
        CliRun strict = new CliRun();
        assertThat(strict.run("replay", trace.toString(), "--strict")).isEqualTo(2);
        assertThat(strict.err().strip()).isEqualTo("iommu-lab: " + trace + " line 1: comment or header (--strict)");

        Path broken = Files.write(dir.resolve("broken.gz"), new byte[] {0x1f, (byte) 0x8b, 3, 0, 1, 2});
        CliRun gz = new CliRun();
        assertThat(gz.run("replay", broken.toString())).isEqualTo(2);
        assertThat(gz.err()).startsWith("iommu-lab: " + broken + " cannot be read");
    }

    @Test
    void everyDeviceReplaysUnderTheQueueAskedForAndCsvHasARowPerReplay() throws Exception {
        StringBuilder capture = new StringBuilder("# tracer: nop\n");
        for (int i = 0; i < 40; i++) {
            String dev = i % 2 == 0 ? "0000:01:00.0" : "0000:02:00.0";
            long addr = 0xfff00000L - i * 4096L;
            capture.append(String.format("  fio-1 [000] ..... 100.%06d: dma_map_phys: %s dir=FROM_DEVICE"
                    + " dma_addr=%x size=4096 phys_addr=1000 attrs=%n", i * 20, dev, addr));
            capture.append(String.format("  fio-1 [000] ..... 100.%06d: dma_unmap_phys: %s dir=FROM_DEVICE"
                    + " dma_addr=%x size=4096 attrs=%n", i * 20 + 10, dev, addr));
        }
        Path trace = Files.writeString(dir.resolve("two.txt"), capture);
        CliRun cli = new CliRun();
        assertThat(cli.run("replay", trace.toString(), "--platform", "x86", "--device", "all", "--dma",
                "strict,lazy-single", "--fq-size", "64", "--fq-timeout-ms", "3", "--format", "csv")).as(cli.err()).isZero();
        List<String> rows = cli.out().lines().toList();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).startsWith("device,policy,");
        assertThat(rows.subList(1, 5)).extracting(r -> r.substring(0, r.indexOf(',', r.indexOf(',') + 1)))
                .containsExactly("0000:01:00.0,strict", "0000:01:00.0,lazy-single", "0000:02:00.0,strict",
                        "0000:02:00.0,lazy-single");
        CliRun json = new CliRun();
        assertThat(json.run("replay", trace.toString(), "--platform", "x86", "--dma", "lazy-single", "--fq-size", "64",
                "--fq-timeout-ms", "3", "--format", "json")).isZero();
        JsonNode config = new ObjectMapper().readTree(json.out()).path("replay").get(0).path("config");
        assertThat(config.path("fqSize").asInt()).isEqualTo(64);
        assertThat(config.path("fqTimeoutMs").asInt()).isEqualTo(3);
        CliRun table = new CliRun();
        assertThat(table.run("replay", trace.toString(), "--device", "all", "--dma", "strict")).isZero();
        assertThat(table.out()).contains("replay of 0000:01:00.0").contains("replay of 0000:02:00.0");
        CliRun bad = new CliRun();
        assertThat(bad.run("replay", trace.toString(), "--format", "csv")).isEqualTo(2);
        assertThat(bad.err()).contains("--format csv has one row per replay; give --dma POLICY");
    }

    /**
     * A capture of the IOMMU API level only: its maps and unmaps replay as they are, and only the
     * policy varies, so strict invalidates page by page and the per-CPU queues by domain.
     */
    @Test
    void aCaptureOfTheIommuLevelOnlyReplaysItsMappingsUnderEachPolicy() throws Exception {
        StringBuilder capture = new StringBuilder("# tracer: nop\n");
        for (int i = 0; i < 30; i++) {
            long iova = 0xfff00000L - i * 8192L;
            capture.append(String.format("  fio-1 [000] ..... 100.%06d: map: IOMMU: iova=0x%016x - 0x%016x"
                    + " paddr=0x0000000000010000 size=8192%n", i * 20, iova, iova + 8191));
            capture.append(String.format("  fio-1 [000] ..... 100.%06d: unmap: IOMMU: iova=0x%016x - 0x%016x"
                    + " size=8192 unmapped_size=8192%n", i * 20 + 10, iova, iova + 8191));
        }
        capture.append("  <idle>-0 [000] ..... 100.000700: io_page_fault: IOMMU:nvme 0000:01:00.0"
                + " iova=0x00000000fff00040 flags=0x0000\n");
        capture.append("  kworker-2 [000] ..... 100.000900: unmap: IOMMU: iova=0x0000000011110000 - 0x0000000011110fff"
                + " size=4096 unmapped_size=0\n");
        Path trace = Files.writeString(dir.resolve("iommu.txt"), capture);
        CliRun cli = new CliRun();
        assertThat(cli.run("replay", trace.toString(), "--platform", "x86", "--dma", "strict,lazy-percpu", "--format",
                "json")).as(cli.err()).isZero();
        JsonNode replay = new ObjectMapper().readTree(cli.out()).path("replay");
        assertThat(replay.get(0).path("config").path("workloadOptions").path("device").asText()).isEqualTo("iommu");
        JsonNode strict = replay.get(0);
        JsonNode lazy = replay.get(1);
        assertThat(strict.path("io").path("completed").asLong()).isEqualTo(30);
        assertThat(lazy.path("io").path("completed").asLong()).isEqualTo(30);
        assertThat(strict.path("metrics").path("vtd.psiDescriptors").asLong()).isEqualTo(30);
        assertThat(lazy.path("metrics").path("vtd.psiDescriptors").asLong()).isZero();
        assertThat(strict.path("notes").toString()).contains("1 unmaps of addresses the replay had not mapped");
    }
}
