package org.iommulab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.Simulation;
import org.iommulab.lab.WorkloadSpec;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.stats.RepeatedRuns;
import org.iommulab.stats.RunStats;
import org.iommulab.workload.FioOptions;
import org.iommulab.workload.MapBenchOptions;
import org.iommulab.workload.NetperfOptions;
import org.iommulab.workload.NvmeDrive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code iommu-lab run}: one scenario in virtual time, all its metrics. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run one platform, DMA mode and workload in deterministic virtual time and print its metrics.")
final class RunCommand implements Callable<Integer> {

    /** The exit status of a run in which no I/O completed: its figures measure nothing. */
    static final int NOTHING_COMPLETED = 1;
    /** Runs of this much virtual time or more show a progress bar on a terminal. */
    static final long LONG_RUN_MS = 5_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a run file, YAML or JSON (a result of 'run --format json' too); options given here override it")
    private Path config;

    @Mixin
    private MachineOptions machine;

    @Option(names = "--guest-memory-gib", paramLabel = "N",
            description = "guest memory, which sizes the s390 aperture (default: ${DEFAULT-VALUE})")
    private int guestMemoryGiB;

    @Option(names = "--workload", defaultValue = "fio", paramLabel = "fio|netperf|mapbench",
            description = "what drives the DMA API (default: ${DEFAULT-VALUE})")
    private String workload;

    @Option(names = "--numjobs", paramLabel = "N", description = "fio: jobs, 0 = one per CPU (default 0)")
    private Integer numjobs;

    @Option(names = "--iodepth", paramLabel = "N", description = "fio: requests in flight per job (default 32)")
    private Integer iodepth;

    @Option(names = "--bs", paramLabel = "BYTES", description = "fio: block size, a multiple of 512 (default 4096)")
    private Integer bs;

    @Option(names = "--rwmixread", paramLabel = "PERCENT", description = "fio: share of reads (default 100)")
    private Integer rwmixread;

    @Option(names = "--device", paramLabel = "nvme|nvme-fast",
            description = "fio: the drive, NAND flash (~80 us, ~1 M IOPS) or low-latency flash (~10 us, ~10 M IOPS)"
                    + " (default nvme)")
    private String device;

    @Option(names = "--traffic", paramLabel = "tx|rx|both", description = "netperf: direction (default both)")
    private String traffic;

    @Option(names = "--queues", paramLabel = "N", description = "netperf: NIC queues, 0 = one per CPU (default 0)")
    private Integer queues;

    @Option(names = "--mtu", paramLabel = "BYTES", description = "netperf: MTU (default 1500)")
    private Integer mtu;

    @Option(names = "--nic-gbps", paramLabel = "N", description = "netperf: the NIC's line rate in Gb/s (default 25)")
    private Integer nicGbps;

    @Option(names = "--threads", paramLabel = "N", description = "mapbench: threads (default 1)")
    private Integer threads;

    @Option(names = "--granule", paramLabel = "PAGES", description = "mapbench: pages per map (default 1)")
    private Integer granule;

    @Option(names = "--direction", paramLabel = "0|1|2",
            description = "mapbench: 0 bidirectional, 1 to device, 2 from device (default 0)")
    private Integer direction;

    @Option(names = "--delay-ns", paramLabel = "NS", description = "mapbench: transfer delay between map and unmap (default 0)")
    private Long delayNs;

    @Option(names = "--dma-bits", paramLabel = "BITS",
            description = "mapbench: the device's DMA mask, 20-64 (default 32, as dma_map_benchmark; s390 needs more:"
                    + " its DMA addresses start at 4 GiB)")
    private Integer dmaBits;

    @Mixin
    private RunOptions run;

    @Option(names = "--relative-to", paramLabel = "POLICY", converter = PolicyNames.class,
            description = "also run this policy on the same machine and give IOPS and CPU per I/O as ratios to it"
                    + " (relativeTo.*), e.g. direct for the no-translation baseline")
    private InvalidationPolicy relativeTo;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "output format (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Mixin
    private ReportOptions report;

    @Option(names = "--trace-out", paramLabel = "FILE",
            description = "write every DMA call of the run to FILE as the kernel's dma:* tracepoints print them"
                    + " (tracefs text), for 'iommu-lab replay' or a diff")
    private Path traceOut;

    @Override
    public Integer call() throws InterruptedException {
        report.refuseExisting();
        OutputFiles.refuseExisting("--trace-out", traceOut, report.force());
        Scenario scenario = scenario();
        String title = scenario.platform().cliName() + " " + scenario.dma().resolve(scenario.platform()).name();
        PrintWriter out = spec.commandLine().getOut();
        List<RunStats> runs;
        List<Scenario> seeds = run.seeds(scenario);
        if (seeds.size() == 1) {
            RunStats stats;
            try (ProgressBar bar = scenario.durationMs() >= LONG_RUN_MS ? Runs.progress("run", 100) : null) {
                Simulation.Progress progress = bar == null ? Simulation.Progress.NONE
                        : (done, total) -> bar.stepTo(done * 100 / total);
                stats = traceOut == null ? Simulation.run(scenario, progress) : traced(scenario, progress);
            }
            runs = List.of(stats);
            Map<String, Object> result = stats.toMap();
            if (relativeTo != null) {
                result.put("relativeTo", relative(relativeTo, stats, Simulation.run(scenario.withDma(relativeTo))));
            }
            out.print(format.render(List.of(title), List.of(result)));
            if (format == OutputFormat.table) {
                out.println("limited by " + stats.limitedBy().resource() + ": " + stats.limitedBy().detail());
            }
        } else {
            if (traceOut != null) {
                throw new IllegalArgumentException("--trace-out writes one run; give it without --repeat");
            }
            if (relativeTo != null) {
                throw new IllegalArgumentException("--relative-to with --repeat: use 'reproduce --repeat N --relative-to "
                        + relativeTo.name() + "', which gives each mean's ratio");
            }
            runs = Runs.all("run", seeds);
            out.print(RepeatReport.render(format, title, RepeatedRuns.of(runs)));
        }
        out.flush();
        if (report.wanted()) {
            report.write(Reports.run(title + (runs.size() > 1 ? " (seed " + scenario.seed() + " of " + runs.size() + ")" : ""),
                    runs.get(0)));
        }
        warn(spec.commandLine().getErr(), "run", runs);
        return runs.stream().allMatch(r -> r.io().completed() == 0) ? NOTHING_COMPLETED : 0;
    }

    /** The run's IOPS and CPU per I/O as ratios to the baseline's, which is named. */
    /** The run, its DMA calls written to {@link #traceOut}. */
    private RunStats traced(Scenario scenario, Simulation.Progress progress) {
        RunStats[] stats = new RunStats[1];
        OutputFiles.write("--trace-out", traceOut, tmp -> {
            try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(tmp)) {
                stats[0] = Simulation.run(scenario, progress, w);
            }
        });
        return stats[0];
    }

    /** A run's figures relative to the same run under {@code policy}: {@code relativeTo.*} of a result. */
    static Map<String, Object> relative(InvalidationPolicy policy, RunStats stats, RunStats base) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policy", policy.name());
        out.put("iops", ReproduceCommand.ratio(stats.throughput().iops(), base.throughput().iops()));
        out.put("cpuNsPerIo", ReproduceCommand.ratio(perIoNs(stats), perIoNs(base)));
        return out;
    }

    private static double perIoNs(RunStats s) {
        return s.io().completed() == 0 ? 0 : (double) s.cpu().busyNs() / s.io().completed();
    }

    /** Each distinct warning of {@code runs} once on stderr, with how many runs gave it when several did. */
    static void warn(PrintWriter err, String command, List<RunStats> runs) {
        Map<String, Long> seen = new LinkedHashMap<>();
        runs.forEach(r -> r.warnings().forEach(w -> seen.merge(w, 1L, Long::sum)));
        seen.forEach((w, n) -> err.println("iommu-lab " + command + ": warning: " + w
                + (runs.size() > 1 ? " (" + n + " of " + runs.size() + " runs)" : "")));
        err.flush();
    }

    Scenario scenario() {
        if (config != null) {
            return RunFile.read(config).scenario(overrides());
        }
        return machine.scenario(guestMemoryGiB, workloadSpec(), run.cpus, run.durationMs, run.seed);
    }

    /** The options given on the command line besides --config, as arguments, to apply after the file. */
    private List<String> overrides() {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!o.longestName().equals("--config")) {
                for (String v : o.originalStringValues()) {
                    out.add(o.longestName());
                    out.add(v);
                }
            }
        }
        return out;
    }

    private WorkloadSpec workloadSpec() {
        switch (workload) {
            case "fio" -> {
                rejectOthers("fio", traffic, queues, mtu, nicGbps, threads, granule, direction, delayNs, dmaBits);
                FioOptions o = FioOptions.defaults();
                o = numjobs == null ? o : o.withNumjobs(numjobs);
                o = iodepth == null ? o : o.withIodepth(iodepth);
                o = bs == null ? o : o.withBs(bs);
                o = rwmixread == null ? o : o.withRwmixread(rwmixread);
                o = device == null ? o : o.withDrive(NvmeDrive.parse(device));
                return new WorkloadSpec.FioSpec(o);
            }
            case "netperf" -> {
                rejectOthers("netperf", numjobs, iodepth, bs, rwmixread, device, threads, granule, direction, delayNs,
                        dmaBits);
                NetperfOptions o = NetperfOptions.defaults();
                o = traffic == null ? o : o.withTraffic(traffic(traffic));
                o = queues == null ? o : o.withQueues(queues);
                o = mtu == null ? o : o.withMtu(mtu);
                o = nicGbps == null ? o : o.withNicGbps(nicGbps);
                return new WorkloadSpec.NetperfSpec(o);
            }
            case "mapbench" -> {
                rejectOthers("mapbench", numjobs, iodepth, bs, rwmixread, device, traffic, queues, mtu, nicGbps);
                MapBenchOptions o = MapBenchOptions.defaults();
                o = threads == null ? o : o.withThreads(threads);
                o = granule == null ? o : o.withGranule(granule);
                o = direction == null ? o : o.withDir(direction(direction));
                o = delayNs == null ? o : o.withDelayNs(delayNs);
                o = dmaBits == null ? o : o.withDmaBits(dmaBits);
                return new WorkloadSpec.MapBenchSpec(o);
            }
            default -> throw new IllegalArgumentException("workload '" + workload + "' is not one of fio, netperf, mapbench");
        }
    }

    /** Options of another workload are an error, not silently ignored. */
    private void rejectOthers(String chosen, Object... others) {
        for (Object o : others) {
            if (o != null) {
                String name = optionGiven(o);
                throw new IllegalArgumentException(name + " does not apply to --workload " + chosen);
            }
        }
    }

    private String optionGiven(Object value) {
        for (var opt : spec.options()) {
            if (opt.getValue() == value && opt.longestName().startsWith("--")) {
                return opt.longestName();
            }
        }
        return "an option";
    }

    private static NetperfOptions.Traffic traffic(String name) {
        try {
            return NetperfOptions.Traffic.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--traffic " + name + " is not one of tx, rx, both");
        }
    }

    static DmaDirection direction(int code) {
        return switch (code) {
            case 0 -> DmaDirection.BIDIRECTIONAL;
            case 1 -> DmaDirection.TO_DEVICE;
            case 2 -> DmaDirection.FROM_DEVICE;
            default -> throw new IllegalArgumentException("direction " + code
                    + " is not allowed; 0 bidirectional, 1 to device, 2 from device");
        };
    }
}
