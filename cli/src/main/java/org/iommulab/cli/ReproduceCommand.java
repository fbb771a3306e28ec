package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.iommulab.lab.DmaMode;
import org.iommulab.lab.PlatformKind;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.Simulation;
import org.iommulab.stats.RunStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab reproduce}: the series' own experiment on built-in defaults. On LPAR, z/VM and
 * KVM (default QEMU profile) it runs the default NVMe fio workload under the old s390 scheme,
 * strict, per-CPU queues and the single queue, and prints each mode's throughput relative to the
 * old scheme, its RPCITs and its stale window. Runs are independent and deterministic, so they run
 * on all cores at once.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "The s390 DMA API conversion's experiment: LPAR, z/VM and KVM x legacy, strict, "
                + "lazy-percpu and lazy-single, default fio workload.")
final class ReproduceCommand implements Callable<Integer> {

    static final List<PlatformKind> PLATFORMS = List.of(PlatformKind.LPAR, PlatformKind.ZVM, PlatformKind.KVM);
    static final List<DmaMode> MODES = List.of(DmaMode.LEGACY, DmaMode.STRICT, DmaMode.LAZY_PERCPU, DmaMode.LAZY_SINGLE);

    @Spec
    private CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "output format (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() throws InterruptedException {
        List<Scenario> scenarios = new ArrayList<>();
        for (PlatformKind p : PLATFORMS) {
            for (DmaMode m : MODES) {
                scenarios.add(Scenario.defaults(p, m).withSeed(seed));
            }
        }
        List<RunStats> results = runAll(scenarios);
        List<Map<String, Object>> runs = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            RunStats legacy = results.get(i - i % MODES.size());
            Map<String, Object> run = new LinkedHashMap<>(results.get(i).toMap());
            run.put("relativeToLegacy", relative(results.get(i), legacy));
            runs.add(run);
            titles.add(scenarios.get(i).platform().cliName() + " " + scenarios.get(i).dma().cliName());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == OutputFormat.table ? Summary.render(scenarios, results) : format.render(titles, runs));
        out.flush();
        return 0;
    }

    private static List<RunStats> runAll(List<Scenario> scenarios) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<RunStats>> futures = new ArrayList<>();
            for (Scenario s : scenarios) {
                futures.add(pool.submit(() -> Simulation.run(s)));
            }
            List<RunStats> out = new ArrayList<>();
            for (Future<RunStats> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Throughput and CPU per I/O as ratios to the same platform's legacy run. */
    private static Map<String, Object> relative(RunStats run, RunStats legacy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("iops", ratio(run.throughput().iops(), legacy.throughput().iops()));
        out.put("bytesPerSec", ratio(run.throughput().bytesPerSec(), legacy.throughput().bytesPerSec()));
        out.put("cpuNsPerIo", ratio(Summary.cpuNsPerIo(run), Summary.cpuNsPerIo(legacy)));
        return out;
    }

    static double ratio(double a, double b) {
        return b == 0 ? 0 : Math.round(a / b * 1000) / 1000.0;
    }
}
