package org.iommulab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iommulab.report.CsvRenderer;
import org.iommulab.report.TableRenderer;
import org.iommulab.stats.RepeatedRuns;

/**
 * Repeated runs as people and programs read them: a table of each headline metric's mean, its 95%
 * half-width, minimum and maximum in the metric's units; CSV in long form, one row per metric; JSON
 * with the summary and every run.
 */
final class RepeatReport {

    private RepeatReport() {}

    static String render(OutputFormat format, String title, RepeatedRuns repeated) {
        return switch (format) {
            case table -> table(title, repeated);
            case csv -> CsvRenderer.render(csvRows(title, repeated));
            case json -> OutputFormat.json(repeated.toMap());
        };
    }

    private static String table(String title, RepeatedRuns repeated) {
        List<Map<String, Object>> columns = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            columns.add(new LinkedHashMap<>());
        }
        repeated.summary().forEach((metric, i) -> {
            columns.get(0).put(metric, i.mean());
            columns.get(1).put(metric, i.halfWidth());
            columns.get(2).put(metric, i.min());
            columns.get(3).put(metric, i.max());
        });
        for (int c = 0; c < 4; c++) {
            // marks the stale figures ">=" where windows were still open; the half-width is no bound
            columns.get(c).put("staleWindowNs.lowerBound", c == 1 ? null : repeated.staleLowerBound());
        }
        int n = repeated.runs().size();
        return TableRenderer.render(List.of(title + " mean of " + n, "+/- 95%", "min", "max"), columns)
                + "over " + n + " seeds; +/- 95% = half the 95% confidence interval of the mean (Student's t)\n";
    }

    /** One CSV row per headline metric of {@code repeated}, each naming the run. */
    static List<Map<String, Object>> csvRows(String title, RepeatedRuns repeated) {
        List<Map<String, Object>> rows = new ArrayList<>();
        repeated.summary().forEach((metric, i) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", title);
            row.put("metric", metric);
            row.put("n", i.n());
            row.put("mean", i.mean());
            row.put("ci95Low", i.ci95Low());
            row.put("ci95High", i.ci95High());
            row.put("stdDev", i.stdDev());
            row.put("min", i.min());
            row.put("max", i.max());
            rows.add(row);
        });
        return rows;
    }
}
