package org.iommulab.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.iommulab.lab.Scenario;
import org.iommulab.policy.Policies;
import org.iommulab.report.Units;
import org.iommulab.sim.CostCategory;
import org.iommulab.stats.RunStats;
import org.iommulab.stats.StaleWindow;
import org.iommulab.stats.Timeline;
import org.iommulab.trace.CaptureCheck;
import org.iommulab.trace.Finding;
import org.knowm.xchart.XYChart;

/** The HTML reports of {@code run}, {@code reproduce}, {@code sweep}, {@code replay} and {@code calibrate}: what each shows, from its results. */
final class Reports {

    private Reports() {}

    /**
     * One run: its headline figures, CPU time by category, its stale-window distribution, and over
     * time the invalidations issued and the pages reachable after unmap.
     */
    static HtmlReport run(String title, RunStats r) {
        HtmlReport report = new HtmlReport("iommu-lab run: " + title);
        report.table(List.of(List.of("IOPS", "limited by", "CPU busy", "stale p50", "stale p99", "stale max"),
                List.of(Units.count(Math.round(r.throughput().iops())), r.limitedBy().detail(),
                        String.format("%.0f%%", 100 * r.cpu().utilisation(r.virtualTimeNs())), window(r, r.staleWindow().p50Ns()),
                        window(r, r.staleWindow().p99Ns()), window(r, r.staleWindow().maxNs()))));
        List<String> labels = new ArrayList<>();
        List<Double> ms = new ArrayList<>();
        for (CostCategory c : CostCategory.values()) {
            labels.add(c.name().toLowerCase(Locale.ROOT));
            ms.add(r.cpu().byCategoryNs().get(c) / 1e6);
        }
        report.chart("cpu-by-category", ReportCharts.bars("CPU time by category, all CPUs", "ms", labels, ms, false));
        if (!r.staleWindow().cdfNs().isEmpty()) {
            report.chart("stale-window-cdf", ReportCharts.staleCdf("Stale windows", Map.of(title, r.staleWindow())));
        }
        Timeline.Snapshot t = r.timeline();
        if (t.invalidations().length > 0) {
            List<Double> at = new ArrayList<>();
            List<Double> perMs = new ArrayList<>();
            List<Double> pending = new ArrayList<>();
            for (int i = 0; i < t.invalidations().length; i++) {
                at.add(i * t.widthNs() / 1e6);
                perMs.add(t.invalidations()[i] * 1e6 / t.widthNs());
                pending.add((double) t.peakPendingPages()[i]);
            }
            XYChart flushes = ReportCharts.scatter("Invalidations over the run (per ms, in " + Units.duration(t.widthNs())
                    + " steps)", "time (ms)", "invalidations per ms", false, false);
            ReportCharts.line(flushes, "invalidations", at, perMs);
            report.chart("flush-timeline", flushes);
            XYChart reachable = ReportCharts.scatter("Pages reachable after unmap over the run (the most in each step)",
                    "time (ms)", "pages", false, false);
            ReportCharts.line(reachable, "pages", at, pending);
            report.chart("reachable-timeline", reachable);
        }
        return report;
    }

    /** Runs of several platforms and policies: IOPS and stale windows side by side. */
    static HtmlReport reproduce(List<Scenario> scenarios, List<RunStats> results) {
        return sideBySide(new HtmlReport("iommu-lab reproduce"), scenarios, results);
    }

    /**
     * A capture checked and replayed: what was read and skipped (with the skipped lines as the
     * file has them), the DMA-API findings, then the replay under each policy side by side and
     * what the workload noted of each.
     */
    static HtmlReport replay(String trace, CaptureCheck.Report capture, List<Scenario> scenarios,
            List<RunStats> results) {
        HtmlReport report = new HtmlReport("iommu-lab replay");
        report.paragraph(trace + ": " + capture.lines() + " lines, " + capture.events() + " events read, "
                + capture.skipped() + " lines skipped; devices: "
                + (capture.devices().isEmpty() ? "none" : String.join(", ", capture.devices())));
        if (!capture.firstSkipped().isEmpty()) {
            List<List<String>> skipped = new ArrayList<>();
            skipped.add(List.of("line", "why skipped", "text"));
            capture.firstSkipped().forEach(s -> skipped.add(List.of(String.valueOf(s.line()), s.why(), s.text())));
            report.heading("Lines skipped");
            report.table(skipped);
        }
        report.heading("Findings");
        if (capture.findings().isEmpty()) {
            report.paragraph("none");
        } else {
            List<List<String>> findings = new ArrayList<>();
            findings.add(List.of("finding", "device", "iova", "size", "lines", "detail"));
            for (Finding f : capture.findings()) {
                findings.add(List.of(f.kind().key(), f.device(), String.format("0x%x", f.iova()), String.valueOf(f.size()),
                        String.join(",", f.lines().stream().map(String::valueOf).toList()), f.detail()));
            }
            report.table(findings);
        }
        if (!results.isEmpty()) {
            report.heading("Replay of " + scenarios.get(0).workload().deviceName());
            sideBySide(report, scenarios, results);
            for (int i = 0; i < results.size(); i++) {
                for (String note : results.get(i).workloadNotes()) {
                    report.paragraph(scenarios.get(i).dma().name() + ": " + note);
                }
            }
        }
        return report;
    }

    /** Runs of several platforms and policies on {@code report}: IOPS and stale windows side by side. */
    private static HtmlReport sideBySide(HtmlReport report, List<Scenario> scenarios, List<RunStats> results) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("platform", "policy", "IOPS", "stale p99", "stale max", "limited by"));
        List<String> labels = new ArrayList<>();
        List<Double> iops = new ArrayList<>();
        List<String> staleLabels = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        Map<String, Map<String, StaleWindow>> cdfs = new LinkedHashMap<>();
        for (int i = 0; i < scenarios.size(); i++) {
            RunStats r = results.get(i);
            String machine = machine(r);
            String policy = scenarios.get(i).dma().name();
            rows.add(List.of(machine, policy, Units.count(Math.round(r.throughput().iops())),
                    window(r, r.staleWindow().p99Ns()), window(r, r.staleWindow().maxNs()), r.limitedBy().detail()));
            labels.add(machine + " / " + policy);
            iops.add(Math.max(r.throughput().iops(), 1));
            if (r.staleWindow().p99Ns() != null) {
                staleLabels.add(machine + " / " + policy);
                p99.add(Math.max(r.staleWindow().p99Ns(), 1) / 1e3);
            }
            if (!r.staleWindow().cdfNs().isEmpty()) {
                cdfs.computeIfAbsent(machine, m -> new LinkedHashMap<>()).put(policy, r.staleWindow());
            }
        }
        report.table(rows);
        report.chart("iops", ReportCharts.bars("IOPS by platform and policy", "IOPS (log)", labels, iops, true));
        Map<String, Double> legacy = new LinkedHashMap<>();
        for (int i = 0; i < scenarios.size(); i++) {
            if (scenarios.get(i).dma() == Policies.LEGACY) {
                legacy.put(machine(results.get(i)), results.get(i).throughput().iops());
            }
        }
        List<String> vsLabels = new ArrayList<>();
        List<Double> vsOld = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            Double base = legacy.get(machine(results.get(i)));
            if (base != null && base > 0 && scenarios.get(i).dma() != Policies.LEGACY) {
                vsLabels.add(machine(results.get(i)) + " / " + scenarios.get(i).dma().name());
                vsOld.add(results.get(i).throughput().iops() / base);
            }
        }
        if (!vsOld.isEmpty()) {
            report.chart("iops-vs-legacy", ReportCharts.bars("IOPS relative to the old s390 scheme on the same platform",
                    "x legacy", vsLabels, vsOld, false));
        }
        if (!p99.isEmpty()) {
            report.chart("stale-p99", ReportCharts.bars("Stale window p99 (a lower bound where pages were still"
                    + " reachable at the end)", "us (log)", staleLabels, p99, true));
        }
        cdfs.forEach((machine, windows) -> report.chart("stale-cdf-" + slug(machine),
                ReportCharts.staleCdf("Stale windows on " + machine, windows)));
        return report;
    }

    /**
     * A sweep: its table, the Pareto scatter of IOPS against stale-window p99 with the frontier,
     * and each metric against each axis.
     */
    static HtmlReport sweep(List<String> axisNames, List<List<String>> values, List<RunStats> results,
            boolean[] frontier) {
        HtmlReport report = new HtmlReport("iommu-lab sweep");
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(axisNames);
        header.addAll(List.of("IOPS", "stale p99", "stale max", "frontier"));
        rows.add(header);
        for (int i = 0; i < results.size(); i++) {
            RunStats r = results.get(i);
            List<String> row = new ArrayList<>(values.get(i));
            row.addAll(List.of(Units.count(Math.round(r.throughput().iops())), window(r, r.staleWindow().p99Ns()),
                    window(r, r.staleWindow().maxNs()), frontier[i] ? "*" : ""));
            rows.add(row);
        }
        report.table(rows);
        XYChart pareto = ReportCharts.scatter("IOPS against stale-window p99; the frontier joined", "stale p99 (ms, log)",
                "IOPS", true, false);
        Map<String, List<Integer>> byMachine = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).staleWindow().p99Ns() != null) {
                byMachine.computeIfAbsent(machine(results.get(i)), m -> new ArrayList<>()).add(i);
            }
        }
        int policyAxis = axisNames.indexOf("dma");
        byMachine.forEach((machine, idx) -> {
            Map<String, List<Integer>> byPolicy = new LinkedHashMap<>();
            idx.forEach(i -> byPolicy.computeIfAbsent(policyAxis < 0 ? machine
                    : machine + " " + values.get(i).get(policyAxis), k -> new ArrayList<>()).add(i));
            byPolicy.forEach((name, group) -> ReportCharts.points(pareto, name,
                    group.stream().map(i -> p99Ms(results.get(i))).toList(),
                    group.stream().map(i -> results.get(i).throughput().iops()).toList()));
            List<Integer> front = idx.stream().filter(i -> frontier[i])
                    .sorted(Comparator.comparingLong(i -> results.get(i).staleWindow().p99Ns())).toList();
            ReportCharts.line(pareto, machine + " frontier", front.stream().map(i -> p99Ms(results.get(i))).toList(),
                    front.stream().map(i -> results.get(i).throughput().iops()).toList());
        });
        report.chart("pareto", pareto);
        for (int a = 0; a < axisNames.size(); a++) {
            int axis = a;
            List<String> distinct = values.stream().map(v -> v.get(axis)).distinct().toList();
            boolean numeric = distinct.stream().allMatch(v -> v.matches("-?[0-9]+(\\.[0-9]+)?"));
            List<Double> x = values.stream().map(v -> numeric ? Double.parseDouble(v.get(axis))
                    : (double) distinct.indexOf(v.get(axis))).toList();
            XYChart iops = ReportCharts.scatter("IOPS against " + axisNames.get(a)
                    + (numeric ? "" : " (" + String.join(", ", numbered(distinct)) + ")"), axisNames.get(a), "IOPS",
                    false, false);
            ReportCharts.points(iops, "runs", x, results.stream().map(r -> r.throughput().iops()).toList());
            report.chart("iops-vs-" + slug(axisNames.get(a)), iops);
            XYChart stale = ReportCharts.scatter("Stale-window p99 against " + axisNames.get(a), axisNames.get(a),
                    "stale p99 (ms, log)", false, true);
            List<Double> sx = new ArrayList<>();
            List<Double> sy = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).staleWindow().p99Ns() != null) {
                    sx.add(x.get(i));
                    sy.add(p99Ms(results.get(i)));
                }
            }
            ReportCharts.points(stale, "runs", sx, sy);
            report.chart("stale-vs-" + slug(axisNames.get(a)), stale);
        }
        return report;
    }

    /**
     * A calibration: the fitted parameters with the range that keeps every measurement within its
     * tolerance, and each measurement as the model gave it at the defaults and after the fit,
     * relative to the measured value.
     */
    @SuppressWarnings("unchecked")
    static HtmlReport calibrate(String file, Map<String, Object> out) {
        HtmlReport report = new HtmlReport("iommu-lab calibrate: " + file);
        List<List<String>> params = new ArrayList<>();
        params.add(List.of("parameter", "default", "fitted", "within tolerances", "identifiable"));
        for (Map<String, Object> p : (List<Map<String, Object>>) out.get("parameters")) {
            params.add(List.of((String) p.get("parameter"), String.valueOf(p.get("default")), String.valueOf(p.get("fitted")),
                    p.get("low") == null ? "-" : p.get("low") + ".." + p.get("high"),
                    (Boolean) p.get("identifiable") ? "yes" : "NO"));
        }
        report.table(params);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("measurement", "measured", "tolerance", "at defaults", "fitted"));
        List<String> labels = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("measured", new ArrayList<>());
        series.put("at defaults", new ArrayList<>());
        series.put("fitted", new ArrayList<>());
        List<Map<String, Object>> ms = (List<Map<String, Object>>) out.get("measurements");
        for (int i = 0; i < ms.size(); i++) {
            Map<String, Object> m = ms.get(i);
            double measured = ((Number) m.get("measured")).doubleValue();
            rows.add(List.of((String) m.get("metric"), String.valueOf(measured), String.valueOf(m.get("tolerance")),
                    String.valueOf(m.get("atDefaults")), String.valueOf(m.get("fitted"))));
            labels.add((i + 1) + ": " + m.get("metric"));
            series.get("measured").add(1.0);
            series.get("at defaults").add(((Number) m.get("atDefaults")).doubleValue() / measured);
            series.get("fitted").add(((Number) m.get("fitted")).doubleValue() / measured);
        }
        report.table(rows);
        report.chart("measured-vs-fitted", ReportCharts.groupedBars("Each measurement as the model gives it, relative to"
                + " the measured value", "model / measured", labels, series));
        return report;
    }

    private static List<String> numbered(List<String> names) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(i + " = " + names.get(i));
        }
        return out;
    }

    private static double p99Ms(RunStats r) {
        return Math.max(r.staleWindow().p99Ns(), 1) / 1e6;
    }

    private static String machine(RunStats r) {
        Object profile = r.config().get("hvProfile");
        return r.config().get("platform") + (profile == null ? "" : " (" + profile + ")");
    }

    private static String window(RunStats r, Long ns) {
        return ns == null ? "-" : (r.staleWindow().lowerBound() ? ">= " : "") + Units.duration(ns);
    }

    private static String slug(String s) {
        return s.replaceAll("[^A-Za-z0-9.-]+", "-").replaceAll("^-+|-+$", "");
    }
}
