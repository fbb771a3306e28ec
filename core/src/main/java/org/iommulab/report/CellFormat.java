package org.iommulab.report;

import java.math.BigDecimal;
import java.util.Locale;

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
