package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iommulab.lab.RunWarnings;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.WorkloadSpec;
import org.iommulab.nativebench.FlushCounts;
import org.iommulab.nativebench.NativeBenchResult;
import org.iommulab.nativebench.NativeMapBench;
import org.iommulab.nativebench.NativeSetup;
import org.iommulab.workload.MapBenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab bench}: tools/testing/selftests/dma/dma_map_benchmark run natively, one Java
 * thread per benchmark thread, on a chosen platform and DMA mode. Takes the tool's letters and
 * ranges, refuses what it refuses, prints its three lines, then a line of what the kernel tool
 * cannot show: pairs per second, flushes and the flush queues' peak occupancy.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "dma_map_benchmark on real threads: map, busy transfer delay, unmap, for a number of seconds.")
final class BenchCommand implements Callable<Integer> {

    static final int MAX_SECONDS = 300;

    /** Platform costs while running natively. */
    enum Costs {
        /** Spending is free: the Java model's own time is measured. */
        off,
        /** Each cost busy-waits its cost-model value. */
        emulate
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private MachineOptions machine;

    @Option(names = "--costs", defaultValue = "off", paramLabel = "off|emulate",
            description = "off: platform costs are free, the Java model is measured; emulate: each cost busy-waits"
                    + " its value (default: ${DEFAULT-VALUE})")
    private Costs costs;

    @Option(names = "-t", defaultValue = "1", paramLabel = "THREADS", description = "threads, 1-1024 (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "-s", paramLabel = "SECONDS", description = "seconds, 1-300 (default: 20)")
    private Integer seconds;

    @Option(names = "--ms", paramLabel = "MS", description = "run time in ms instead of -s, 1-300000, for short runs")
    private Integer ms;

    @Option(names = "-n", paramLabel = "NODE", description = "NUMA node; accepted and ignored (threads are not bound)")
    private Integer node;

    @Option(names = "-b", defaultValue = "32", paramLabel = "BITS", description = "DMA mask bits, 20-64 (default: ${DEFAULT-VALUE})")
    private int bits;

    @Option(names = "-d", defaultValue = "0", paramLabel = "DIR",
            description = "direction: 0 bidirectional, 1 to device, 2 from device (default: ${DEFAULT-VALUE})")
    private int dir;

    @Option(names = "-x", defaultValue = "0", paramLabel = "NS", description = "transfer delay in ns, 0-10000000 (default: ${DEFAULT-VALUE})")
    private int xdelay;

    @Option(names = "-g", defaultValue = "1", paramLabel = "PAGES", description = "granule in pages, 1-1024 (default: ${DEFAULT-VALUE})")
    private int granule;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "table: the kernel tool's lines and a summary; json or csv: the same as one record"
                    + " (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Override
    public Integer call() throws InterruptedException {
        validate();
        if (node != null) {
            spec.commandLine().getErr().println("iommu-lab: -n " + node + " ignored: native threads are not bound to a NUMA node");
            spec.commandLine().getErr().flush();
        }
        MapBenchOptions options = MapBenchOptions.defaults().withThreads(threads).withGranule(granule)
                .withDir(RunCommand.direction(dir)).withDelayNs(xdelay).withDmaBits(bits);
        long durationMs = ms != null ? ms : seconds != null ? seconds * 1000L : 20_000L;
        Scenario scenario = machine.scenario(Scenario.DEFAULT_GUEST_MEMORY_GIB, new WorkloadSpec.MapBenchSpec(options),
                threads, durationMs, 1);
        NativeBenchResult r;
        String why;
        Map<String, Object> resolved;
        try (NativeSetup setup = NativeSetup.of(scenario, costs == Costs.emulate)) {
            r = NativeMapBench.run(setup, options, durationMs * 1_000_000L);
            why = RunWarnings.causes(setup.machine());
            resolved = scenario.describe(setup.machine().hvProfile(), setup.machine().flushQueueOptions());
        }
        if (r.mapErrors() > 0) {
            spec.commandLine().getErr().println("iommu-lab bench: warning: " + r.mapErrors() + " of " + threads
                    + " threads ended on a mapping error (DMA_MAPPING_ERROR); " + why);
            spec.commandLine().getErr().flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.table) {
            out.print(kernelLines(r, (int) (durationMs / 1000), node == null ? -1 : node));
            out.print(summaryLine(r));
        } else {
            String title = scenario.platform().cliName() + " " + scenario.dma().resolve(scenario.platform()).name();
            out.print(format.render(List.of(title), List.of(toMap(scenario, r, (int) (durationMs / 1000), costs, resolved))));
        }
        out.flush();
        return r.pairs() == 0 ? RunCommand.NOTHING_COMPLETED : 0;
    }

    /** The kernel tool's checks, in its order and with its words, each naming the value refused. */
    private void validate() {
        if (threads < 1 || threads > MapBenchOptions.MAX_THREADS) {
            throw new IllegalArgumentException("invalid number of threads -t " + threads + ", must be in 1-"
                    + MapBenchOptions.MAX_THREADS);
        }
        if (ms != null && seconds != null) {
            throw new IllegalArgumentException("-s " + seconds + " and --ms " + ms + " both give the run time; give one");
        }
        if (seconds != null && (seconds < 1 || seconds > MAX_SECONDS)) {
            throw new IllegalArgumentException("invalid number of seconds -s " + seconds + ", must be in 1-" + MAX_SECONDS);
        }
        if (ms != null && (ms < 1 || ms > MAX_SECONDS * 1000)) {
            throw new IllegalArgumentException("invalid run time --ms " + ms + ", must be in 1-" + MAX_SECONDS * 1000);
        }
        if (xdelay < 0 || xdelay > MapBenchOptions.MAX_TRANS_DELAY_NS) {
            throw new IllegalArgumentException("invalid transmit delay -x " + xdelay + ", must be in 0-"
                    + MapBenchOptions.MAX_TRANS_DELAY_NS);
        }
        if (bits < MapBenchOptions.MIN_DMA_BITS || bits > MapBenchOptions.MAX_DMA_BITS) {
            throw new IllegalArgumentException("invalid dma mask bit -b " + bits + ", must be in 20-64");
        }
        if (dir < 0 || dir > 2) {
            throw new IllegalArgumentException("invalid dma direction -d " + dir
                    + ", must be 0 (bidirectional), 1 (to device) or 2 (from device)");
        }
        if (granule < 1 || granule > MapBenchOptions.MAX_GRANULE) {
            throw new IllegalArgumentException("invalid granule size -g " + granule + ", must be in 1-"
                    + MapBenchOptions.MAX_GRANULE);
        }
    }

    /** The three lines dma_map_benchmark prints, latencies in microseconds. */
    static String kernelLines(NativeBenchResult r, int seconds, int node) {
        MapBenchOptions o = r.options();
        return String.format(Locale.ROOT, "dma mapping benchmark: threads:%d seconds:%d node:%d dir:%s granule: %d%n",
                o.threads(), seconds, node, o.dir().name(), o.granule())
                + String.format(Locale.ROOT, "average map latency(us):%.1f standard deviation:%.1f%n",
                        r.mapMeanNs() / 1000, r.mapStddevNs() / 1000)
                + String.format(Locale.ROOT, "average unmap latency(us):%.1f standard deviation:%.1f%n",
                        r.unmapMeanNs() / 1000, r.unmapStddevNs() / 1000);
    }

    /** Throughput, flushes and queue occupancy, on one line. */
    static String summaryLine(NativeBenchResult r) {
        FlushCounts f = r.flushes();
        return String.format(Locale.ROOT, "map+unmap pairs/s:%.0f pairs:%d map errors:%d flushes: queue-full:%d"
                        + " timer:%d strict-syncs:%d global-rpcits:%d sync-rpcits:%d peak queue occupancy:%d%n",
                r.pairsPerSec(), r.pairs(), r.mapErrors(), f.queueFull(), f.timer(), f.strictSyncs(),
                f.rpcit().global(), f.rpcit().sync(), f.peakQueueOccupancy());
    }

    /**
     * The result as one record; its config holds everything needed to rerun it.
     *
     * @param resolved the scenario's recorded configuration, with what the machine resolved
     */
    static Map<String, Object> toMap(Scenario s, NativeBenchResult r, int seconds, Costs costs,
            Map<String, Object> resolved) {
        MapBenchOptions o = r.options();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("platform", s.platform().cliName());
        config.put("dma", s.dma().resolve(s.platform()).name());
        config.put("threads", o.threads());
        config.put("seconds", seconds);
        config.put("durationMs", r.durationNs() / 1_000_000);
        config.put("dmaBits", o.dmaBits());
        config.put("dir", o.dir().name());
        config.put("granule", o.granule());
        config.put("delayNs", o.delayNs());
        config.put("costs", costs.name());
        for (String key : List.of("hvProfile", "fqSize", "fqTimeoutMs", "costOverrides")) {
            config.put(key, resolved.get(key));
        }
        Map<String, Object> flushes = new LinkedHashMap<>();
        FlushCounts f = r.flushes();
        flushes.put("queueFull", f.queueFull());
        flushes.put("timer", f.timer());
        flushes.put("strictSyncs", f.strictSyncs());
        flushes.put("globalRpcits", f.rpcit().global());
        flushes.put("syncRpcits", f.rpcit().sync());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", config);
        out.put("mapLatencyUs", latency(r.mapMeanNs(), r.mapStddevNs()));
        out.put("unmapLatencyUs", latency(r.unmapMeanNs(), r.unmapStddevNs()));
        out.put("pairs", r.pairs());
        out.put("pairsPerSec", r.pairsPerSec());
        out.put("elapsedMs", r.elapsedNs() / 1e6);
        out.put("mapErrors", r.mapErrors());
        out.put("flushes", flushes);
        out.put("peakQueueOccupancy", f.peakQueueOccupancy());
        return out;
    }

    private static Map<String, Object> latency(double meanNs, double stddevNs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("average", meanNs / 1000);
        m.put("stddev", stddevNs / 1000);
        return m;
    }
}
