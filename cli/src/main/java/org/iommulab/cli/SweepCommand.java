package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.iommulab.lab.Scenario;
import org.iommulab.report.CsvRenderer;
import org.iommulab.report.Pareto;
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
 * {@code iommu-lab sweep}: a grid of runs over axes of {@code run} options and costs, run in
 * parallel, one row per run with the axes' values first, and each run marked when it is on the
 * Pareto frontier of IOPS against stale-window p99 among the runs on its platform (and hypervisor
 * profile). Every other argument is a {@code run} option shared by all points. A point that
 * {@code run} would refuse (a queue size for a policy without a queue) is skipped and counted on
 * stderr with the reason.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a grid of scenarios over --axis values and mark the IOPS vs stale-window-p99 Pareto frontier.",
        footer = {"", "Any other argument is a 'run' option shared by every point, e.g. --platform kvm --duration-ms 500.",
            "Example: iommu-lab sweep --platform kvm --axis dma=lazy-single,deadline-ranged --axis fq-size=1024..32768:x4"})
final class SweepCommand implements Callable<Integer> {

    /** More points than this is a typo, not a sweep. */
    static final int MAX_POINTS = 10_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--axis", required = true, paramLabel = "NAME=VALUES",
            description = "a run option (without --) or set:COST, and its values: a,b,c or FROM..TO:xFACTOR or FROM..TO:+STEP;"
                    + " repeatable, the grid is every combination")
    private List<String> axes = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "table: axes, IOPS, stale p99 and max, frontier; json and csv: every metric (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Unmatched
    private List<String> fixed = new ArrayList<>();

    /** A grid point: the axes' values and the run it stands for. */
    private record Point(List<String> values, Scenario scenario) {}

    @Override
    public Integer call() throws InterruptedException {
        List<SweepAxis> parsed = axes.stream().map(SweepAxis::parse).toList();
        checkNames(parsed);
        long size = parsed.stream().mapToLong(a -> a.values().size()).reduce(1, Math::multiplyExact);
        if (size > MAX_POINTS) {
            throw new IllegalArgumentException("the grid has " + size + " points; at most " + MAX_POINTS);
        }
        Map<String, Integer> skipped = new LinkedHashMap<>();
        List<Point> points = new ArrayList<>();
        for (List<String> values : grid(parsed)) {
            List<String> args = new ArrayList<>(fixed);
            for (int i = 0; i < parsed.size(); i++) {
                args.addAll(parsed.get(i).args(values.get(i)));
            }
            try {
                points.add(new Point(values, scenario(args)));
            } catch (IllegalArgumentException | CommandLine.ParameterException e) {
                skipped.merge(e.getMessage(), 1, Integer::sum);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        int dropped = skipped.values().stream().mapToInt(Integer::intValue).sum();
        skipped.forEach((why, n) -> err.println("iommu-lab sweep: skipped " + n + " of " + size + " points: " + why));
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no point of the grid is a valid run (" + dropped + " skipped)");
        }
        List<RunStats> results = Runs.all("sweep", points.stream().map(Point::scenario).toList());
        boolean[] frontier = frontier(results);
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(parsed, points, results, frontier));
        out.flush();
        RunCommand.warn(err, "sweep", results);
        return 0;
    }

    /**
     * Refuses fixed options {@code run} does not know, an axis that is no {@code run} option, and
     * one also given as a fixed option.
     */
    private void checkNames(List<SweepAxis> parsed) {
        CommandLine runLine = new CommandLine(new RunCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            runLine.parseArgs(fixed.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (an option sweep passes to every run)");
        }
        CommandSpec run = runLine.getCommandSpec();
        for (SweepAxis a : parsed) {
            if (!a.name().startsWith("set:") && run.findOption("--" + a.name()) == null) {
                throw new IllegalArgumentException("--axis " + a.name() + " is not a run option; see 'iommu-lab run --help',"
                        + " or use set:COST for a cost");
            }
            if (!a.name().startsWith("set:") && fixed.contains("--" + a.name())) {
                throw new IllegalArgumentException("--" + a.name() + " is both an axis and a fixed option");
            }
        }
        if (parsed.stream().map(SweepAxis::name).distinct().count() != parsed.size()) {
            throw new IllegalArgumentException("an axis is given twice: " + parsed.stream().map(SweepAxis::name)
                    .collect(Collectors.joining(", ")));
        }
    }

    /** The scenario {@code run} would build from {@code args}, with its checks and messages. */
    private static Scenario scenario(List<String> args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
        return run.scenario();
    }

    /** Every combination of the axes' values, the last axis varying fastest. */
    static List<List<String>> grid(List<SweepAxis> parsed) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        for (SweepAxis a : parsed) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : out) {
                for (String v : a.values()) {
                    List<String> p = new ArrayList<>(prefix);
                    p.add(v);
                    next.add(p);
                }
            }
            out = next;
        }
        return out;
    }

    /** Whether each run is on the IOPS / stale-p99 frontier of the runs on its machine. */
    private static boolean[] frontier(List<RunStats> results) {
        boolean[] on = new boolean[results.size()];
        Map<String, List<Integer>> byMachine = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            Map<String, Object> c = results.get(i).config();
            byMachine.computeIfAbsent(c.get("platform") + " " + Objects.toString(c.get("hvProfile"), ""),
                    k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byMachine.values()) {
            double[] iops = group.stream().mapToDouble(i -> results.get(i).throughput().iops()).toArray();
            // a run that unmapped nothing has no window: never better than one that has
            double[] p99 = group.stream().mapToDouble(i -> p99(results.get(i))).toArray();
            boolean[] g = Pareto.frontier(iops, p99);
            for (int k = 0; k < g.length; k++) {
                on[group.get(k)] = g[k];
            }
        }
        return on;
    }

    private static double p99(RunStats r) {
        Long p99 = r.staleWindow().p99Ns();
        return p99 == null ? Double.POSITIVE_INFINITY : p99;
    }

    private static String window(RunStats r, Long ns) {
        return ns == null ? "-" : (r.staleWindow().lowerBound() ? ">= " : "") + Units.duration(ns);
    }

    private String render(List<SweepAxis> parsed, List<Point> points, List<RunStats> results, boolean[] frontier) {
        if (format == OutputFormat.table) {
            return table(parsed, points, results, frontier);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int a = 0; a < parsed.size(); a++) {
                row.put("axis." + parsed.get(a).name(), points.get(i).values().get(a));
            }
            row.put("pareto", frontier[i]);
            Map<String, Object> run = results.get(i).toMap();
            if (format == OutputFormat.csv) {
                row.putAll(OutputFormat.csvRow(run));
            } else {
                row.put("run", run);
            }
            rows.add(row);
        }
        return format == OutputFormat.csv ? CsvRenderer.render(rows) : OutputFormat.json(rows);
    }

    private static String table(List<SweepAxis> parsed, List<Point> points, List<RunStats> results, boolean[] frontier) {
        TextTable t = new TextTable();
        parsed.forEach(axis -> t.left(axis.name()));
        t.right("IOPS").right("stale p99").right("stale max").right("frontier");
        for (int i = 0; i < points.size(); i++) {
            RunStats r = results.get(i);
            List<Object> row = new ArrayList<>(points.get(i).values());
            row.add(Units.count(Math.round(r.throughput().iops())));
            row.add(window(r, r.staleWindow().p99Ns()));
            row.add(window(r, r.staleWindow().maxNs()));
            row.add(frontier[i] ? "*" : "");
            t.row(row);
        }
        return t.render() + "\n* = on the frontier of IOPS against stale-window p99 among the runs on the same platform; "
                + ">= : pages still reachable at the end count at their age then.\n";
    }
}
