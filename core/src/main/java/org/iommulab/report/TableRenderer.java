package org.iommulab.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders flattened runs ({@link FlatMetrics}) as a plain-text table: one row per metric, one
 * column per run, values right-aligned and in human units ({@link Units}). Metrics a run lacks show
 * as "-".
 */
public final class TableRenderer {

    private TableRenderer() {}

    /** One run: a metric column and a value column. */
    public static String render(Map<String, ?> flatRun) {
        return render(List.of("value"), List.of(flatRun));
    }

    /**
     * Several runs side by side.
     *
     * @param titles a column title per run
     */
    public static String render(List<String> titles, List<? extends Map<String, ?>> flatRuns) {
        if (titles.size() != flatRuns.size()) {
            throw new IllegalArgumentException(
                    titles.size() + " titles for " + flatRuns.size() + " runs; need one title per run");
        }
        Set<String> metrics = new LinkedHashSet<>();
        for (Map<String, ?> run : flatRuns) {
            metrics.addAll(run.keySet());
        }
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[flatRuns.size() + 1];
        header[0] = "metric";
        for (int i = 0; i < titles.size(); i++) {
            header[i + 1] = titles.get(i);
        }
        rows.add(header);
        for (String metric : metrics) {
            String[] row = new String[header.length];
            row[0] = metric;
            for (int i = 0; i < flatRuns.size(); i++) {
                row[i + 1] = CellFormat.human(metric, flatRuns.get(i).get(metric), flatRuns.get(i));
            }
            rows.add(row);
        }
        return layout(rows);
    }

    private static String layout(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            sb.append(row[0]).append(" ".repeat(width[0] - row[0].length()));
            for (int c = 1; c < row.length; c++) {
                sb.append("  ").append(" ".repeat(width[c] - row[c].length())).append(row[c]);
            }
            sb.append('\n');
            if (r == 0) {
                int total = width[0];
                for (int c = 1; c < width.length; c++) {
                    total += 2 + width[c];
                }
                sb.append("-".repeat(total)).append('\n');
            }
        }
        return sb.toString();
    }
}
