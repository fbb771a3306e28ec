package org.iommulab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Renders flattened runs ({@link FlatMetrics}) as RFC 4180 CSV (Commons CSV) with lines ending in
 * a line feed: a header of metric names (the union over all runs in first-seen order), then one
 * row per run. A metric a run lacks is an empty field.
 */
public final class CsvRenderer {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private CsvRenderer() {}

    public static String render(List<? extends Map<String, ?>> flatRuns) {
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, ?> run : flatRuns) {
            columns.addAll(run.keySet());
        }
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(sb, FORMAT)) {
            csv.printRecord(columns);
            for (Map<String, ?> run : flatRuns) {
                csv.printRecord(columns.stream().map(c -> CellFormat.exact(run.get(c))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder cannot fail", e);
        }
        return sb.toString();
    }
}
