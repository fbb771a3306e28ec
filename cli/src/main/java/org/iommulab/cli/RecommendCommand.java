package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.iommulab.lab.Scenario;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.report.TextTable;
import org.iommulab.report.Units;
import org.iommulab.stats.RunStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code iommu-lab recommend}: which registered policy, queue size and timeout give the most IOPS
 * on a platform while keeping the stale window's p99 under a bound and the IOPS above a share of a
 * baseline (the old s390 scheme on s390, strict elsewhere). It runs every policy over a grid of
 * sizes (256 to 32768) and timeouts (1 ms to 1 s) and answers with the best that meets both bounds
 * and the next ones; when nothing does, it says so and shows the frontier instead.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Find the policy, queue size and timeout with the most IOPS under a stale-window bound.",
        footer = {"", "Any other argument is a 'run' option for every candidate, e.g. --platform zvm --iodepth 8."})
final class RecommendCommand implements Callable<Integer> {

    static final List<Integer> SIZES = List.of(256, 1024, 4096, 16384, 32768);
    static final List<Integer> TIMEOUTS_MS = List.of(1, 2, 5, 10, 100, 1000);
    /** Alternatives shown after the recommendation, or frontier points when nothing meets the bounds. */
    static final int SHOWN = 5;

    @Spec
    private CommandSpec spec;

    @Option(names = "--max-stale-ms", required = true, paramLabel = "MS",
            description = "the bound on the stale window's p99, in ms (above 0)")
    private double maxStaleMs;

    @Option(names = "--min-iops-ratio", defaultValue = "0", paramLabel = "R",
            description = "the least IOPS as a share of the baseline's, 0 to 10 (default: ${DEFAULT-VALUE})")
    private double minIopsRatio;

    @Unmatched
    private List<String> fixed = new ArrayList<>();

    private record Candidate(String label, Scenario scenario) {}

    @Override
    public Integer call() throws InterruptedException {
        if (!(maxStaleMs > 0) || maxStaleMs > 3_600_000) {
            throw new IllegalArgumentException("--max-stale-ms " + maxStaleMs + " is not above 0 ms and at most an hour");
        }
        if (!(minIopsRatio >= 0) || minIopsRatio > 10) {
            throw new IllegalArgumentException("--min-iops-ratio " + minIopsRatio + " is not in 0-10");
        }
        PlatformKind platform = scenario(List.of()).platform();
        InvalidationPolicy base = platform.s390() ? Policies.LEGACY : Policies.STRICT;
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate(base.name(), scenario(List.of("--dma", base.name()))));
        for (InvalidationPolicy p : Policies.concrete()) {
            if (p == base || !p.runsOn(platform)) {
                continue;
            }
            if (!p.takesQueueSettings()) {
                candidates.add(new Candidate(p.name(), scenario(List.of("--dma", p.name()))));
                continue;
            }
            for (int size : SIZES) {
                for (int t : TIMEOUTS_MS) {
                    candidates.add(new Candidate(p.name() + " size " + size + " timeout " + t + " ms",
                            scenario(List.of("--dma", p.name(), "--fq-size", "" + size, "--fq-timeout-ms", "" + t))));
                }
            }
        }
        List<RunStats> results = new ArrayList<>(Runs.all("recommend", candidates.stream().map(Candidate::scenario).toList()));
        List<Candidate> refined = refine(candidates, results);
        if (!refined.isEmpty()) {
            candidates.addAll(refined);
            results.addAll(Runs.all("recommend", refined.stream().map(Candidate::scenario).toList()));
        }
        double baseIops = results.get(0).throughput().iops();
        List<Integer> meeting = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (p99Ms(results.get(i)) <= maxStaleMs && results.get(i).throughput().iops() >= minIopsRatio * baseIops) {
                meeting.add(i);
            }
        }
        Comparator<Integer> byIops = Comparator.comparingDouble(i -> -results.get(i).throughput().iops());
        PrintWriter out = spec.commandLine().getOut();
        String bounds = String.format(Locale.ROOT, "stale p99 <= %s ms and IOPS >= %.2fx %s (%s)", trim(maxStaleMs),
                minIopsRatio, base.name(), Units.count(Math.round(baseIops)));
        if (!meeting.isEmpty()) {
            meeting.sort(byIops);
            out.println("recommended on " + platform.cliName() + " for " + bounds + ":");
            List<Integer> shown = distinct(results, meeting);
            out.print(table(candidates, results, baseIops, shown.subList(0, Math.min(SHOWN + 1, shown.size()))));
            out.println("(the first row; then the next best that meet the bounds; " + candidates.size() + " candidates run)");
        } else {
            boolean[] front = SweepCommand.frontier(results);
            List<Integer> frontier = new ArrayList<>();
            for (int i = 0; i < front.length; i++) {
                if (front[i]) {
                    frontier.add(i);
                }
            }
            frontier.sort(Comparator.comparingDouble(i -> p99Ms(results.get(i))));
            frontier = distinct(results, frontier);
            out.println("nothing meets " + bounds + " on " + platform.cliName() + " among " + candidates.size()
                    + " candidates; the frontier of IOPS against stale p99 offers:");
            out.print(table(candidates, results, baseIops, frontier));
        }
        out.flush();
        return 0;
    }

    /**
     * The refinement around the bound: for each queueing policy, the whole-millisecond timeouts
     * between that of its best run within the p99 bound (most IOPS) and the next on the grid, at
     * that run's size.
     */
    private List<Candidate> refine(List<Candidate> candidates, List<RunStats> results) {
        List<Candidate> out = new ArrayList<>();
        for (InvalidationPolicy p : Policies.concrete()) {
            int best = -1;
            int bestTimeout = 0;
            for (int i = 0; i < candidates.size(); i++) {
                Scenario s = candidates.get(i).scenario();
                if (s.dma() == p && p.takesQueueSettings() && p99Ms(results.get(i)) <= maxStaleMs
                        && (best < 0 || results.get(i).throughput().iops() > results.get(best).throughput().iops())) {
                    best = i;
                    bestTimeout = s.fqTimeoutMs();
                }
            }
            if (best < 0) {
                continue;
            }
            int from = bestTimeout;
            int next = TIMEOUTS_MS.stream().filter(t -> t > from).findFirst().orElse(0);
            int size = candidates.get(best).scenario().fqSize();
            for (int t = bestTimeout + 1; t < next && t <= bestTimeout + 8; t++) {
                out.add(new Candidate(p.name() + " size " + size + " timeout " + t + " ms",
                        scenario(List.of("--dma", p.name(), "--fq-size", "" + size, "--fq-timeout-ms", "" + t))));
            }
        }
        return out;
    }

    /** The rows whose IOPS and stale figures differ from the row before: one per distinct point. */
    private static List<Integer> distinct(List<RunStats> results, List<Integer> rows) {
        List<Integer> out = new ArrayList<>();
        for (int i : rows) {
            if (out.isEmpty() || !same(results.get(out.get(out.size() - 1)), results.get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    private static boolean same(RunStats a, RunStats b) {
        return a.throughput().iops() == b.throughput().iops()
                && java.util.Objects.equals(a.staleWindow().p99Ns(), b.staleWindow().p99Ns());
    }

    private static double p99Ms(RunStats r) {
        Long p99 = r.staleWindow().p99Ns();
        return p99 == null ? Double.POSITIVE_INFINITY : p99 / 1e6;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String table(List<Candidate> candidates, List<RunStats> results, double baseIops, List<Integer> rows) {
        TextTable t = new TextTable().left("policy").right("IOPS").right("vs base").right("stale p99").right("stale max");
        for (int i : rows) {
            RunStats r = results.get(i);
            String bound = r.staleWindow().lowerBound() ? ">= " : "";
            t.row(candidates.get(i).label(), Units.count(Math.round(r.throughput().iops())),
                    String.format(Locale.ROOT, "%.2fx", r.throughput().iops() / baseIops),
                    r.staleWindow().p99Ns() == null ? "-" : bound + Units.duration(r.staleWindow().p99Ns()),
                    r.staleWindow().maxNs() == null ? "-" : bound + Units.duration(r.staleWindow().maxNs()));
        }
        return t.render();
    }

    /** The scenario {@code run} builds from the fixed options and {@code extra}, or a one-line error. */
    private Scenario scenario(List<String> extra) {
        List<String> args = new ArrayList<>(fixed);
        args.addAll(extra);
        RunCommand run = new RunCommand();
        try {
            Main.parser(run).setOverwrittenOptionsAllowed(true)
                    .parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (an option recommend passes to every run)");
        }
        return run.scenario();
    }
}
