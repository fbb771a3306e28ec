package org.iommulab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.iommulab.lab.Scenario;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.report.CsvRenderer;
import org.iommulab.report.Pareto;
import org.iommulab.report.TextTable;
import org.iommulab.report.Units;
import org.iommulab.stats.RunStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--axis", paramLabel = "NAME=VALUES",
            description = "a run option (without --) or set:COST, and its values: a,b,c or FROM..TO:xFACTOR or FROM..TO:+STEP;"
                    + " repeatable, the grid is every combination")
    private List<String> axes = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "table: axes, IOPS, stale p99 and max, frontier; json and csv: every metric (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Option(names = "--sample", paramLabel = "random:N|lhs:N",
            description = "run N points of the grid, not all: drawn at random, or a Latin hypercube that covers every"
                    + " axis's values evenly")
    private String sample;

    @Option(names = "--sample-seed", defaultValue = "1", paramLabel = "N",
            description = "the seed that draws the sample (default: ${DEFAULT-VALUE})")
    private long sampleSeed;

    @Option(names = "--relative-to", paramLabel = "POLICY", converter = PolicyNames.class,
            description = "also run each point under POLICY (e.g. legacy, direct) and give its IOPS and CPU per I/O"
                    + " relative to that run (relativeTo.*)")
    private InvalidationPolicy relativeTo;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "append each finished run's row to FILE as it finishes, skip the points FILE already holds,"
                    + " and print the whole sweep at the end; csv only. Interrupted, run it again the same way")
    private Path resume;

    @Mixin
    private ReportOptions report;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "run only the I-th of N disjoint slices of the grid (every N-th point from the I-th);"
                    + " combine the parts with 'iommu-lab merge'; json or csv only")
    private String shard;

    @Unmatched
    private List<String> fixed = new ArrayList<>();

    /** Each point's baseline run, by its scenario, when {@code --relative-to} is given. */
    private Map<Scenario, RunStats> baselines = Map.of();

    /** A grid point: its index in the whole grid, the axes' values and the run it stands for. */
    private record Point(int index, List<String> values, Scenario scenario) {}

    @Override
    public Integer call() throws InterruptedException, IOException {
        report.refuseExisting();
        resolveSpecFile();
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one --axis NAME=VALUES, or a spec file with axes");
        }
        List<SweepAxis> parsed = axes.stream().map(SweepAxis::parse).toList();
        checkNames(parsed);
        List<Integer> sizes = parsed.stream().map(a -> a.values().size()).toList();
        long size = sizes.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
        SweepSample sampled = sample == null ? null : SweepSample.parse(sample);
        if (sampled == null && size > MAX_POINTS) {
            throw new IllegalArgumentException("the grid has " + size + " points; at most " + MAX_POINTS
                    + ", or draw some with --sample random:N or lhs:N");
        }
        int[] slice = shard(shard);
        if (slice != null && format == OutputFormat.table) {
            throw new IllegalArgumentException("--shard needs --format json or csv, which 'iommu-lab merge' combines");
        }
        if (resume != null && format != OutputFormat.csv) {
            throw new IllegalArgumentException("--resume needs --format csv: its file holds CSV rows");
        }
        if (resume != null && report.wanted()) {
            throw new IllegalArgumentException("--html and --png need every run's result; give them without --resume");
        }
        Set<Long> done = resume == null ? Set.of() : journalPoints();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        List<Point> points = new ArrayList<>();
        List<Long> indices = sampled != null ? sampled.indices(sizes, sampleSeed)
                : java.util.stream.LongStream.range(0, size).boxed().toList();
        for (long k : indices) {
            if (slice != null && k % slice[1] != slice[0] - 1 || done.contains(k)) {
                continue;
            }
            List<String> values = valuesAt(parsed, k);
            List<String> args = new ArrayList<>(fixed);
            for (int i = 0; i < parsed.size(); i++) {
                args.addAll(parsed.get(i).args(values.get(i)));
            }
            try {
                points.add(new Point(Math.toIntExact(k), values, scenario(args)));
            } catch (IllegalArgumentException | CommandLine.ParameterException e) {
                skipped.merge(e.getMessage(), 1, Integer::sum);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        int dropped = skipped.values().stream().mapToInt(Integer::intValue).sum();
        skipped.forEach((why, n) -> err.println("iommu-lab sweep: skipped " + n + " of " + indices.size() + " points: " + why));
        if (points.isEmpty() && done.isEmpty()) {
            throw new IllegalArgumentException("no point of the grid is a valid run (" + dropped + " skipped)");
        }
        PrintWriter out = spec.commandLine().getOut();
        baselines = baselines(points);
        if (resume != null) {
            Runs.all("sweep", points.stream().map(Point::scenario).toList(),
                    (i, r) -> journal(parsed, points.get(i), r));
            out.print(MergeCommand.mergeCsv(List.of(resume)));
            out.flush();
            return 0;
        }
        List<RunStats> results = Runs.all("sweep", points.stream().map(Point::scenario).toList());
        boolean[] frontier = frontier(results);
        out.print(render(parsed, points, results, slice == null ? frontier : null));
        out.flush();
        if (report.wanted()) {
            report.write(Reports.sweep(parsed.stream().map(SweepAxis::name).toList(),
                    points.stream().map(Point::values).toList(), results, frontier));
        }
        RunCommand.warn(err, "sweep", results);
        return 0;
    }

    /**
     * Each point's run under {@link #relativeTo}, each distinct baseline run once; empty without
     * {@code --relative-to}.
     */
    private Map<Scenario, RunStats> baselines(List<Point> points) throws InterruptedException {
        if (relativeTo == null) {
            return Map.of();
        }
        List<Scenario> distinct = points.stream().map(p -> p.scenario().withDma(relativeTo)).distinct().toList();
        List<RunStats> runs = Runs.all("sweep baselines", distinct);
        Map<Scenario, RunStats> out = new java.util.HashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            out.put(distinct.get(i), runs.get(i));
        }
        return out;
    }

    /** A first argument that is no option names a spec file, whose axes and options come before the flags'. */
    private void resolveSpecFile() {
        if (fixed.isEmpty() || fixed.get(0).startsWith("-")) {
            return;
        }
        SweepSpecFile file = SweepSpecFile.read(Path.of(fixed.get(0)));
        List<String> flags = new ArrayList<>(fixed.subList(1, fixed.size()));
        fixed = new ArrayList<>(file.run());
        fixed.addAll(flags);
        List<String> flagAxes = axes;
        axes = new ArrayList<>(file.axes());
        axes.addAll(flagAxes);
        if (sample == null) {
            sample = file.sample();
        }
    }

    /** The values of grid point {@code k}, the last axis varying fastest. */
    static List<String> valuesAt(List<SweepAxis> parsed, long k) {
        String[] values = new String[parsed.size()];
        for (int a = parsed.size() - 1; a >= 0; a--) {
            int n = parsed.get(a).values().size();
            values[a] = parsed.get(a).values().get((int) (k % n));
            k /= n;
        }
        return List.of(values);
    }

    /** The points the resume file already holds, after checking that they are this sweep's. */
    private Set<Long> journalPoints() {
        if (!Files.exists(resume) || resume.toFile().length() == 0) {
            return Set.of();
        }
        Set<Long> points = new java.util.HashSet<>();
        MergeCommand.readCsv(List.of(resume)).forEach((point, row) -> {
            if (!specId().equals(row.get("spec"))) {
                throw new IllegalArgumentException(resume + " holds rows of another sweep (spec " + row.get("spec")
                        + ", not " + specId() + "); resume with the same axes and options, or another file");
            }
            points.add((long) point);
        });
        return points;
    }

    /** Appends one finished run's CSV row to the resume file, with the header if the file is new. */
    private synchronized void journal(List<SweepAxis> parsed, Point point, RunStats result) {
        Map<String, Object> row = row(parsed, point, result, null, OutputFormat.csv);
        String csv = CsvRenderer.render(List.of(row));
        try {
            boolean fresh = !Files.exists(resume) || resume.toFile().length() == 0;
            String line = fresh ? csv : csv.substring(csv.indexOf('\n') + 1);
            Files.writeString(resume, line, java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalArgumentException("--resume " + resume + " cannot be written: " + e.getMessage());
        }
    }

    /**
     * Refuses fixed options {@code run} does not know, an axis that is no {@code run} option, and
     * one also given as a fixed option.
     */
    private void checkNames(List<SweepAxis> parsed) {
        CommandLine runLine = Main.parser(new RunCommand());
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
        Main.parser(run).parseArgs(args.toArray(String[]::new));
        return run.scenario();
    }

    /** {@code I/N} as {I, N}, or null without a shard. */
    private static int[] shard(String spec) {
        if (spec == null) {
            return null;
        }
        String[] parts = spec.split("/", -1);
        try {
            int i = Integer.parseInt(parts[0]);
            int n = Integer.parseInt(parts[1]);
            if (parts.length == 2 && n >= 1 && n <= MAX_POINTS && i >= 1 && i <= n) {
                return new int[] {i, n};
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below
        }
        throw new IllegalArgumentException("--shard " + spec + " is not I/N with 1 <= I <= N <= " + MAX_POINTS);
    }

    /** What identifies this sweep's grid: its axes and fixed options, hashed, so that parts of another are refused. */
    private String specId() {
        String text = String.join("\n", axes) + "\n--\n" + String.join("\n", fixed)
                + (sample == null ? "" : "\n--sample " + sample + " " + sampleSeed)
                + (relativeTo == null ? "" : "\n--relative-to " + relativeTo.name());
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether each run is on the IOPS / stale-p99 frontier of the runs on its machine. */
    static boolean[] frontier(List<RunStats> results) {
        List<String> machines = results.stream().map(r -> r.config().get("platform") + " "
                + Objects.toString(r.config().get("hvProfile"), "")).toList();
        return frontier(machines, results.stream().mapToDouble(r -> r.throughput().iops()).toArray(),
                results.stream().mapToDouble(SweepCommand::p99).toArray());
    }

    /**
     * Whether each point is on the frontier of IOPS against p99 among the points of the same
     * machine; a run that unmapped nothing has an infinite p99, never better than one that has.
     */
    static boolean[] frontier(List<String> machines, double[] iops, double[] p99) {
        boolean[] on = new boolean[machines.size()];
        Map<String, List<Integer>> byMachine = new LinkedHashMap<>();
        for (int i = 0; i < machines.size(); i++) {
            byMachine.computeIfAbsent(machines.get(i), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byMachine.values()) {
            boolean[] g = Pareto.frontier(group.stream().mapToDouble(i -> iops[i]).toArray(),
                    group.stream().mapToDouble(i -> p99[i]).toArray());
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
            rows.add(row(parsed, points.get(i), results.get(i), frontier == null ? null : frontier[i], format));
        }
        return format == OutputFormat.csv ? CsvRenderer.render(rows) : OutputFormat.json(rows);
    }

    /** One run's row: its point, the sweep's spec, the axes' values, whether it is on the frontier, the run. */
    private Map<String, Object> row(List<SweepAxis> parsed, Point point, RunStats result, Boolean pareto,
            OutputFormat as) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("point", point.index());
        row.put("spec", specId());
        for (int a = 0; a < parsed.size(); a++) {
            row.put("axis." + parsed.get(a).name(), point.values().get(a));
        }
        row.put("pareto", pareto);
        Map<String, Object> run = result.toMap();
        if (relativeTo != null) {
            run.put("relativeTo", RunCommand.relative(relativeTo, result,
                    baselines.get(point.scenario().withDma(relativeTo))));
        }
        if (as == OutputFormat.csv) {
            row.putAll(OutputFormat.csvRow(run));
        } else {
            row.put("run", run);
        }
        return row;
    }

    private String table(List<SweepAxis> parsed, List<Point> points, List<RunStats> results, boolean[] frontier) {
        TextTable t = new TextTable();
        parsed.forEach(axis -> t.left(axis.name()));
        t.right("IOPS");
        if (relativeTo != null) {
            t.right("vs " + relativeTo.name());
        }
        t.right("stale p99").right("stale max").right("frontier");
        for (int i = 0; i < points.size(); i++) {
            RunStats r = results.get(i);
            List<Object> row = new ArrayList<>(points.get(i).values());
            row.add(Units.count(Math.round(r.throughput().iops())));
            if (relativeTo != null) {
                RunStats base = baselines.get(points.get(i).scenario().withDma(relativeTo));
                row.add(String.format(java.util.Locale.ROOT, "%.2fx", r.throughput().iops() / base.throughput().iops()));
            }
            row.add(window(r, r.staleWindow().p99Ns()));
            row.add(window(r, r.staleWindow().maxNs()));
            row.add(frontier[i] ? "*" : "");
            t.row(row);
        }
        return t.render() + "\n* = on the frontier of IOPS against stale-window p99 among the runs on the same platform; "
                + ">= : pages still reachable at the end count at their age then.\n";
    }
}
