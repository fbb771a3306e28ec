package org.iommulab.report;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/** How a metric value is written: the same for every run, independent of the machine's locale. */
final class CellFormat {

    private CellFormat() {}

    /** For people: integers as they are, fractions with two decimals, nothing as "-". */
    static String human(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.2f", d) : Double.toString(d);
        }
        return value.toString();
    }

    /**
     * For people, by what the metric measures (its name's suffix): durations, data rates, sizes
     * and large counts in {@link Units}; configuration values exactly as given. A stale-window
     * figure that includes windows still open at the end is marked {@code >=}.
     */
    static String human(String metric, Object value, Map<String, ?> run) {
        if (!(value instanceof Number n) || value instanceof Double d && !Double.isFinite(d) || metric.startsWith("config.")) {
            return human(value);
        }
        double v = n.doubleValue();
        String last = metric.substring(metric.lastIndexOf('.') + 1);
        if (metric.startsWith("staleWindowNs.") && (last.equals("p50") || last.equals("p99") || last.equals("max"))) {
            return (Boolean.TRUE.equals(run.get("staleWindowNs.lowerBound")) ? ">= " : "") + Units.duration(v);
        }
        if (last.endsWith("Ns") || metric.startsWith("cpu.byCategoryNs.")) {
            return Units.duration(v);
        }
        if (last.equals("bytesPerSec")) {
            return Units.rate(v);
        }
        if (last.endsWith("Bytes") || last.equals("bytes")) {
            return Units.bytes(v);
        }
        if (value instanceof Double || value instanceof Float) {
            return Math.abs(v) >= 1e4 ? Units.count(v) : human(value);
        }
        return Units.count(v);
    }

    /** For machines: full precision without exponents, nothing as an empty field. */
    static String exact(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : Double.toString(d);
        }
        return value.toString();
    }
}
