package org.iommulab.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: named columns, each left- or right-aligned and as wide as its widest cell,
 * two spaces apart, no trailing blanks. Built column by column, then filled row by row.
 */
public final class TextTable {

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    /** Adds a left-aligned column (names, labels). */
    public TextTable left(String header) {
        return column(header, false);
    }

    /** Adds a right-aligned column (figures). */
    public TextTable right(String header) {
        return column(header, true);
    }

    private TextTable column(String header, boolean right) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("columns come before rows");
        }
        headers.add(header);
        rightAligned.add(right);
        return this;
    }

    /** Adds a row, one cell per column; null prints as "-". */
    public TextTable row(List<?> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + headers.size() + " columns");
        }
        rows.add(cells.stream().map(c -> c == null ? "-" : c.toString()).toList());
        return this;
    }

    /** Adds a row, one cell per column; null prints as "-". */
    public TextTable row(Object... cells) {
        return row(java.util.Arrays.asList(cells));
    }

    /** The table, header first, each line ending in a newline. */
    public String render() {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        rows.forEach(r -> line(sb, r, width));
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            l.append(c == 0 ? "" : "  ").append(rightAligned.get(c) ? pad + cell : cell + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
