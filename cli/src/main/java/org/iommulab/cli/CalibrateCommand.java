package org.iommulab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.Simulation;
import org.iommulab.report.FlatMetrics;
import org.iommulab.report.TextTable;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.stats.RunStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab calibrate MEASUREMENTS.yaml}: fits free cost parameters so that the model's
 * metrics match a user's measurements. Each measurement is a run (any {@code run} option by its
 * long name, {@code set:KEY} for a cost), a metric (a key of {@code run --format json}), the value
 * measured and its tolerance, optionally as a ratio to the same run with some options changed.
 * The fit minimises the tolerance-weighted squared error with Nelder-Mead (Hipparchus), over
 * log(value / default) within a factor of 10 of each default, every candidate's runs in parallel
 * with fixed seeds, so the objective is deterministic. It reports each fitted value, each
 * measurement at the defaults and fitted, and names every free parameter no measurement moves.
 * {@code --save} writes the fitted values as a run file ({@code run --config}) with their provenance.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit free cost parameters to measurements (a YAML file) and save them as a profile.")
final class CalibrateCommand implements Callable<Integer> {

    /** The most free parameters chosen without a 'free' list. */
    static final int MAX_DEFAULT_FREE = 8;
    /** How far a fitted value may move from its default, either way. */
    static final double RANGE = 10;
    /** A free parameter whose ±20% moves no measurement by this share of its tolerance is not identifiable. */
    static final double IDENTIFIABLE = 0.05;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MEASUREMENTS.yaml", description = "the measurements and the free parameters")
    private Path file;

    @Option(names = "--save", paramLabel = "PROFILE.yaml", description = "write the fitted values as a run file")
    private Path save;

    @Option(names = "--predict", paramLabel = "SCENARIOS.yaml",
            description = "after the fit, run these scenarios ('scenarios:', each a 'run' map, a 'metric' and an optional"
                    + " 'relativeTo') and report each metric with the range the parameters' intervals give")
    private Path predict;

    @Option(names = "--max-evaluations", defaultValue = "200", paramLabel = "N",
            description = "objective evaluations the optimiser may spend, 10-10000 (default: ${DEFAULT-VALUE})")
    private int maxEvaluations;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "output format (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    /** One measurement: the run's arguments, the baseline's for a ratio (or null), the metric and its target. */
    @Mixin
    private ReportOptions report;

    record Measurement(List<String> args, List<String> baseline, String metric, double value, double tolerance) {}

    @Override
    public Integer call() throws Exception {
        report.refuseExisting();
        OutputFiles.refuseExisting("--save", save, report.force());
        if (maxEvaluations < 10 || maxEvaluations > 10_000) {
            throw new IllegalArgumentException("--max-evaluations " + maxEvaluations + " is not in 10-10000");
        }
        if (format == OutputFormat.csv) {
            throw new IllegalArgumentException("--format csv is not offered by calibrate; use table or json");
        }
        MeasurementsFile read = read(file);
        List<Measurement> measurements = read.measurements();
        List<Measurement> predictions = predict == null ? List.of() : predictions(read.platform());
        List<Cost> free = free(read.root(), measurements);
        Objective objective = new Objective(measurements, free);
        double[] start = new double[free.size()];
        double[] atDefaults = objective.metrics(start);
        double[] best;
        if (free.size() == 1) {
            best = objective.scan(start);
        } else {
            SimplexOptimizer optimizer = new SimplexOptimizer(1e-4, 1e-6);
            try {
                best = optimizer.optimize(new MaxEval(maxEvaluations), new ObjectiveFunction(objective::error),
                        GoalType.MINIMIZE, new InitialGuess(start), new NelderMeadSimplex(free.size(), 0.5)).getPoint();
            } catch (MathIllegalStateException budgetSpent) {
                best = objective.best;
                spec.commandLine().getErr().println("iommu-lab calibrate: warning: the optimiser had not converged after"
                        + " --max-evaluations " + maxEvaluations + "; the best point so far is reported");
            }
        }
        best = objective.clamp(best);
        double[] fitted = objective.metrics(best);
        List<String> unidentifiable = objective.unidentifiable(best);
        long[][] intervals = objective.intervals(best);
        Map<String, Object> out = report(free, best, intervals, measurements, atDefaults, fitted, unidentifiable,
                objective.evaluations);
        if (!predictions.isEmpty()) {
            out.put("predictions", predicted(predictions, free, best, intervals));
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(format == OutputFormat.json ? OutputFormat.json(out) : table(out));
        o.flush();
        if (report.wanted()) {
            report.write(Reports.calibrate(file.toString(), out));
        }
        PrintWriter err = spec.commandLine().getErr();
        unidentifiable.forEach(k -> err.println("iommu-lab calibrate: warning: " + k
                + " is not identifiable from these measurements: moving it 20% changes none of them"));
        for (int i = 0; i < measurements.size(); i++) {
            if (Math.abs(fitted[i] - measurements.get(i).value()) > measurements.get(i).tolerance()) {
                err.println("iommu-lab calibrate: warning: the fit cannot meet measurement " + (i + 1) + " ("
                        + measurements.get(i).metric() + " " + measurements.get(i).value() + "): the model gives " + fitted[i]);
            }
        }
        err.flush();
        if (save != null) {
            writeProfile(read.platform(), free, best, read.bytes());
        }
        return 0;
    }

    /** A measurements file as read and checked: its bytes (a saved profile names their hash), tree, platform and measurements. */
    record MeasurementsFile(byte[] bytes, JsonNode root, String platform, List<Measurement> measurements) {}

    /**
     * Reads and checks {@code measurementsFile} up to each measurement's run, without simulating
     * anything.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    MeasurementsFile read(Path measurementsFile) {
        this.file = measurementsFile;
        byte[] bytes = readBytes(file);
        JsonNode root;
        try {
            InputFiles.checkYamlLines(file, bytes);
            root = InputFiles.settings(file, InputFiles.yaml().readTree(bytes));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + (e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr())
                    + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("").strip());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " holds no map; see 'iommu-lab calibrate --help'");
        }
        String platform = text(root, "platform");
        return new MeasurementsFile(bytes, root, platform, measurements(root, platform));
    }

    private static byte[] readBytes(Path file) {
        return InputFiles.read(file, RunFile.MAX_BYTES, "a measurements file holds a platform and its measurements");
    }

    private String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be given as text");
        }
        return v.asText();
    }

    private List<Measurement> measurements(JsonNode root, String platform) {
        JsonNode list = root.get("measurements");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": 'measurements' must be a non-empty list");
        }
        List<Measurement> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String where = file + ": measurement " + (i + 1) + ": ";
            Measurement run = run(m, platform, where);
            JsonNode value = m.get("value");
            if (value == null || !value.isNumber() || (run.baseline() != null && value.asDouble() <= 0)) {
                throw new IllegalArgumentException(where + "'value' must be a number"
                        + (run.baseline() != null ? " above 0 (a ratio)" : ""));
            }
            double tolerance = tolerance(m.get("tolerance"), value.asDouble(), where);
            out.add(new Measurement(run.args(), run.baseline(), run.metric(), value.asDouble(), tolerance));
        }
        return out;
    }

    /**
     * The scenarios of {@link #predict}: each a run (on the measurements' platform unless it names
     * another), a metric and an optional baseline, checked as measurements are.
     */
    private List<Measurement> predictions(String platform) {
        JsonNode root;
        try {
            byte[] predictBytes = readBytes(predict);
            InputFiles.checkYamlLines(predict, predictBytes);
            root = InputFiles.settings(predict, InputFiles.yaml().readTree(predictBytes));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(predict + (e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr())
                    + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("").strip());
        } catch (IOException e) {
            throw new IllegalArgumentException(predict + " cannot be read: " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("scenarios");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(predict + ": 'scenarios' must be a non-empty list");
        }
        List<Measurement> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(run(list.get(i), platform, predict + ": scenario " + (i + 1) + ": "));
        }
        return out;
    }

    /**
     * Each prediction at the fit, and its range: the smallest and largest value over each
     * parameter moved alone to either end of its interval (none where the fit has no intervals).
     */
    private static List<Map<String, Object>> predicted(List<Measurement> scenarios, List<Cost> free, double[] best,
            long[][] intervals) {
        Objective model = new Objective(scenarios, free);
        double[] at = model.metrics(best);
        double[] low = at.clone();
        double[] high = at.clone();
        boolean ranged = intervals.length > 0 && intervals[0] != null;
        for (int p = 0; ranged && p < free.size(); p++) {
            for (long end : intervals[p]) {
                double[] x = best.clone();
                x[p] = Math.log((double) end / free.get(p).defaultNs());
                double[] v = model.metrics(x);
                for (int i = 0; i < v.length; i++) {
                    low[i] = Math.min(low[i], v[i]);
                    high[i] = Math.max(high[i], v[i]);
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            Measurement s = scenarios.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", String.join(" ", s.args()));
            r.put("relativeTo", s.baseline() == null ? null : String.join(" ", s.baseline().subList(s.args().size(),
                    s.baseline().size())));
            r.put("metric", s.metric() + (s.baseline() != null ? " (ratio)" : ""));
            r.put("predicted", at[i]);
            r.put("low", ranged ? low[i] : null);
            r.put("high", ranged ? high[i] : null);
            out.add(r);
        }
        return out;
    }

    /**
     * The run, baseline and metric of one measurement or scenario, each run checked; the value and
     * tolerance are placeholders for the caller to fill.
     */
    private static Measurement run(JsonNode m, String platform, String where) {
        List<String> args = new ArrayList<>(List.of("--platform", platform));
        args.addAll(options(m.get("run"), where));
        List<String> baseline = null;
        if (m.has("relativeTo")) {
            baseline = new ArrayList<>(args);
            baseline.addAll(options(m.get("relativeTo"), where));
        }
        String metric = m.path("metric").asText("");
        if (metric.isEmpty()) {
            throw new IllegalArgumentException(where + "'metric' must name a key of 'run --format json', e.g. throughput.iops");
        }
        scenario(args, where);
        if (baseline != null) {
            scenario(baseline, where);
        }
        return new Measurement(args, baseline, metric, 1, 1);
    }

    private static List<String> options(JsonNode map, String where) {
        List<String> out = new ArrayList<>();
        if (map == null) {
            return out;
        }
        if (!map.isObject()) {
            throw new IllegalArgumentException(where + "'run' and 'relativeTo' are maps of run options");
        }
        map.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("set:")) {
                out.addAll(List.of("--set", e.getKey().substring(4) + "=" + e.getValue().asText()));
            } else {
                out.addAll(List.of("--" + e.getKey(), e.getValue().asText()));
            }
        });
        return out;
    }

    private static double tolerance(JsonNode t, double value, String where) {
        if (t == null) {
            return Math.max(Math.abs(value) * 0.05, 1e-12);
        }
        String s = t.asText().strip();
        try {
            double tol = s.endsWith("%") ? Math.abs(value) * Double.parseDouble(s.substring(0, s.length() - 1)) / 100
                    : Double.parseDouble(s);
            if (tol > 0) {
                return tol;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + "'tolerance' " + s + " is not a positive number or percentage");
    }

    private List<Cost> free(JsonNode root, List<Measurement> measurements) {
        JsonNode list = root.get("free");
        if (list == null) {
            return chargedAssumptions(measurements);
        }
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": 'free' must list the cost parameters to fit, e.g. [kvm.rpcitExitNs]");
        }
        List<Cost> out = new ArrayList<>();
        for (JsonNode k : list) {
            try {
                Cost c = CostModel.byKey(k.asText());
                if (c.defaultNs() <= 0) {
                    throw new IllegalArgumentException(file + ": free parameter " + c.key() + " defaults to 0; a fit scales"
                            + " defaults, so give it a value with --set in the measurements' runs instead");
                }
                out.add(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(file.toString()) ? e.getMessage()
                        : file + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Without a 'free' list: the assumption-marked costs the measurements' runs charge, with
     * nonzero defaults, at most {@link #MAX_DEFAULT_FREE} of them.
     */
    private List<Cost> chargedAssumptions(List<Measurement> measurements) {
        java.util.Set<Cost> charged = java.util.EnumSet.noneOf(Cost.class);
        for (Measurement m : measurements) {
            charged.addAll(Simulation.costsCharged(scenario(m.args(), "")));
        }
        List<Cost> out = charged.stream().filter(c -> c.assumption() && c.defaultNs() > 0).toList();
        if (out.size() > MAX_DEFAULT_FREE) {
            throw new IllegalArgumentException(file + ": the measurements' runs charge " + out.size()
                    + " assumption-marked costs, too many to fit at once; name at most " + MAX_DEFAULT_FREE + " in 'free': "
                    + String.join(", ", out.stream().map(Cost::key).toList()));
        }
        return out;
    }

    /** The scenario {@code run} builds from {@code args}, or a one-line error. */
    private static Scenario scenario(List<String> args, String where) {
        RunCommand run = new RunCommand();
        try {
            Main.parser(run).setOverwrittenOptionsAllowed(true)
                    .parseArgs(args.toArray(String[]::new));
            return run.scenario();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }

    /** The tolerance-weighted error of a point in log space, and the runs behind it. */
    private static final class Objective {
        private final List<Measurement> measurements;
        private final List<Cost> free;
        private final Map<List<Double>, double[]> cache = new LinkedHashMap<>();
        int evaluations;
        /** The point with the least error seen so far, for an optimiser stopped by its budget. */
        double[] best;
        private double bestError = Double.POSITIVE_INFINITY;

        Objective(List<Measurement> measurements, List<Cost> free) {
            this.measurements = measurements;
            this.free = free;
        }

        double[] clamp(double[] x) {
            double[] c = x.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] = Math.max(-Math.log(RANGE), Math.min(Math.log(RANGE), c[i]));
            }
            return c;
        }

        long value(int i, double x) {
            return Math.round(free.get(i).defaultNs() * Math.exp(x));
        }

        double error(double[] x) {
            double[] c = clamp(x);
            double[] m = metrics(c);
            double sum = 0;
            for (int i = 0; i < m.length; i++) {
                double r = (m[i] - measurements.get(i).value()) / measurements.get(i).tolerance();
                sum += r * r;
            }
            double outside = 0;
            for (int i = 0; i < x.length; i++) {
                outside += Math.abs(x[i] - c[i]);
            }
            double error = sum + 1e3 * outside;
            if (error < bestError) {
                bestError = error;
                best = x.clone();
            }
            return error;
        }

        /** For one parameter: a golden-section search over the log range, deterministic and cheap. */
        double[] scan(double[] start) {
            double lo = -Math.log(RANGE);
            double hi = Math.log(RANGE);
            double g = (Math.sqrt(5) - 1) / 2;
            double a = hi - g * (hi - lo);
            double b = lo + g * (hi - lo);
            double fa = error(new double[] {a});
            double fb = error(new double[] {b});
            for (int i = 0; i < 30; i++) {
                if (fa <= fb) {
                    hi = b;
                    b = a;
                    fb = fa;
                    a = hi - g * (hi - lo);
                    fa = error(new double[] {a});
                } else {
                    lo = a;
                    a = b;
                    fa = fb;
                    b = lo + g * (hi - lo);
                    fb = error(new double[] {b});
                }
            }
            double best = fa <= fb ? a : b;
            return error(start) < Math.min(fa, fb) ? start : new double[] {best};
        }

        /** The model's value of each measurement at {@code x}; runs in parallel, cached by point. */
        double[] metrics(double[] x) {
            List<Double> key = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                key.add((double) value(i, x[i]));
            }
            return cache.computeIfAbsent(key, k -> compute(x)).clone();
        }

        private double[] compute(double[] x) {
            evaluations++;
            List<String> sets = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                sets.addAll(List.of("--set", free.get(i).key() + "=" + value(i, x[i])));
            }
            List<Scenario> runs = new ArrayList<>();
            for (Measurement m : measurements) {
                runs.add(withSets(m.args(), sets));
                if (m.baseline() != null) {
                    runs.add(withSets(m.baseline(), sets));
                }
            }
            List<RunStats> stats;
            try {
                stats = Runs.all("calibrate", runs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            double[] out = new double[measurements.size()];
            int r = 0;
            for (int i = 0; i < out.length; i++) {
                Measurement m = measurements.get(i);
                double v = metric(stats.get(r++), m.metric());
                out[i] = m.baseline() == null ? v : v / metric(stats.get(r++), m.metric());
            }
            return out;
        }

        private static Scenario withSets(List<String> args, List<String> sets) {
            List<String> all = new ArrayList<>(args);
            all.addAll(sets);
            return scenario(all, "");
        }

        private static double metric(RunStats s, String key) {
            Object v = FlatMetrics.flatten(s.toMap()).get(key);
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("metric '" + key + "' is not a number in 'run --format json'");
            }
            return n.doubleValue();
        }

        /**
         * For each parameter, the values around the fit, the others held, over which every
         * measurement stays within its tolerance: found by doubling steps out from the fit in log
         * space, then four bisections; null where the fit itself misses a tolerance.
         */
        long[][] intervals(double[] at) {
            long[][] out = new long[at.length][];
            if (!within(at)) {
                return out;
            }
            for (int p = 0; p < at.length; p++) {
                out[p] = new long[] {value(p, edge(at, p, -1)), value(p, edge(at, p, +1))};
            }
            return out;
        }

        private double edge(double[] at, int p, int sign) {
            double inside = at[p];
            double limit = sign * Math.log(RANGE);
            double outside = Double.NaN;
            for (double step = 0.05; ; step *= 2) {
                double x = at[p] + sign * step;
                if (sign * x >= sign * limit) {
                    x = limit;
                }
                double[] probe = at.clone();
                probe[p] = x;
                if (within(probe)) {
                    inside = x;
                    if (x == limit) {
                        return inside;
                    }
                } else {
                    outside = x;
                    break;
                }
            }
            for (int i = 0; i < 4; i++) {
                double mid = (inside + outside) / 2;
                double[] probe = at.clone();
                probe[p] = mid;
                if (within(probe)) {
                    inside = mid;
                } else {
                    outside = mid;
                }
            }
            return inside;
        }

        private boolean within(double[] x) {
            double[] m = metrics(x);
            for (int i = 0; i < m.length; i++) {
                if (Math.abs(m[i] - measurements.get(i).value()) > measurements.get(i).tolerance()) {
                    return false;
                }
            }
            return true;
        }

        /** The free parameters whose ±20% moves no measurement by {@link #IDENTIFIABLE} of its tolerance. */
        List<String> unidentifiable(double[] at) {
            double[] base = metrics(at);
            List<String> out = new ArrayList<>();
            for (int p = 0; p < at.length; p++) {
                boolean moves = false;
                for (double step : new double[] {Math.log(1.2), -Math.log(1.2)}) {
                    double[] x = at.clone();
                    x[p] += step;
                    double[] m = metrics(x);
                    for (int i = 0; i < m.length; i++) {
                        moves |= Math.abs(m[i] - base[i]) > IDENTIFIABLE * measurements.get(i).tolerance();
                    }
                }
                if (!moves) {
                    out.add(free.get(p).key());
                }
            }
            return out;
        }
    }

    private static Map<String, Object> report(List<Cost> free, double[] x, long[][] intervals, List<Measurement> ms,
            double[] atDefaults,
            double[] fitted, List<String> unidentifiable, int evaluations) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> params = new ArrayList<>();
        for (int i = 0; i < free.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("parameter", free.get(i).key());
            p.put("default", free.get(i).defaultNs());
            p.put("fitted", Math.round(free.get(i).defaultNs() * Math.exp(x[i])));
            p.put("low", intervals[i] == null ? null : intervals[i][0]);
            p.put("high", intervals[i] == null ? null : intervals[i][1]);
            p.put("identifiable", !unidentifiable.contains(free.get(i).key()));
            params.add(p);
        }
        out.put("parameters", params);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("metric", ms.get(i).metric() + (ms.get(i).baseline() != null ? " (ratio)" : ""));
            r.put("measured", ms.get(i).value());
            r.put("tolerance", ms.get(i).tolerance());
            r.put("atDefaults", atDefaults[i]);
            r.put("fitted", fitted[i]);
            r.put("residualInTolerances", (fitted[i] - ms.get(i).value()) / ms.get(i).tolerance());
            rows.add(r);
        }
        out.put("measurements", rows);
        out.put("evaluations", evaluations);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> out) {
        TextTable p = new TextTable().left("parameter").right("default").right("fitted").right("within tolerances")
                .left("identifiable");
        for (Map<String, Object> r : (List<Map<String, Object>>) out.get("parameters")) {
            p.row(r.get("parameter"), r.get("default"), r.get("fitted"),
                    r.get("low") == null ? "-" : r.get("low") + ".." + r.get("high"),
                    (Boolean) r.get("identifiable") ? "yes" : "NO");
        }
        TextTable m = new TextTable().left("measurement").right("measured").right("tolerance").right("at defaults")
                .right("fitted").right("residual/tol");
        for (Map<String, Object> r : (List<Map<String, Object>>) out.get("measurements")) {
            m.row(r.get("metric"), fmt(r.get("measured")), fmt(r.get("tolerance")), fmt(r.get("atDefaults")),
                    fmt(r.get("fitted")), String.format(Locale.ROOT, "%+.2f", (Double) r.get("residualInTolerances")));
        }
        String predictions = "";
        if (out.containsKey("predictions")) {
            TextTable t = new TextTable().left("prediction").left("metric").right("predicted").right("range");
            for (Map<String, Object> r : (List<Map<String, Object>>) out.get("predictions")) {
                String run = ((String) r.get("run")).replaceFirst("^--platform \\S+ ?", "");
                t.row(run + (r.get("relativeTo") == null ? "" : " vs " + r.get("relativeTo")), r.get("metric"),
                        fmt(r.get("predicted")), r.get("low") == null ? "-" : fmt(r.get("low")) + ".." + fmt(r.get("high")));
            }
            predictions = "\n" + t.render();
        }
        return p.render() + "\n" + m.render() + predictions + "\n" + out.get("evaluations") + " evaluations of the model\n";
    }

    private static String fmt(Object v) {
        double d = ((Number) v).doubleValue();
        return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.4g", d);
    }

    private void writeProfile(String platform, List<Cost> free, double[] x, byte[] measurementsFile) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# iommu-lab profile: fitted by 'iommu-lab calibrate ").append(file.getFileName()).append("' on ")
                .append(LocalDate.now()).append('\n');
        sb.append("# measurements file sha256 ").append(sha256(measurementsFile)).append('\n');
        sb.append("# apply with: iommu-lab run --config ").append(save.getFileName()).append(" [options]\n");
        sb.append("platform: ").append(platform).append('\n');
        sb.append("costOverrides:\n");
        for (int i = 0; i < free.size(); i++) {
            sb.append("  ").append(free.get(i).key()).append(": ")
                    .append(Math.round(free.get(i).defaultNs() * Math.exp(x[i]))).append('\n');
        }
        OutputFiles.write("--save", save, tmp -> Files.writeString(tmp, sb.toString()));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
