package org.iommulab.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders flattened runs ({@link FlatMetrics}) as CSV with RFC 4180 quoting and lines ending in a
 * line feed, as the other CSV outputs do: a header of metric names (the union over all runs in
 * first-seen order), then one row per run. Fields with a comma, quote or line break are quoted; a
 * metric a run lacks is an empty field.
 */
public final class CsvRenderer {

    private CsvRenderer() {}

    public static String render(List<? extends Map<String, ?>> flatRuns) {
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, ?> run : flatRuns) {
            columns.addAll(run.keySet());
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, columns);
        for (Map<String, ?> run : flatRuns) {
            List<String> fields = columns.stream().map(c -> CellFormat.exact(run.get(c))).toList();
            appendRow(sb, fields);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, Iterable<String> fields) {
        boolean first = true;
        for (String f : fields) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(quote(f));
        }
        sb.append('\n');
    }

    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
