package org.iommulab.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One self-contained HTML page of tables and charts: every chart an inline SVG that XChart drew,
 * no script, style sheet or image fetched from anywhere, so the file opens offline and can be
 * mailed or attached as it is. Its one inline script only records that the page fetched nothing.
 * Every string from the user's input (trace lines, device names, file names, labels) is escaped,
 * and a Content-Security-Policy lets the page fetch nothing and run no script but that one, so a
 * report made from a hostile capture can be shared. {@link #writePngs} writes the same charts as
 * PNG files, for papers and mailing lists.
 */
final class HtmlReport {

    /**
     * Records on the page how many resources it fetched (the Resource Timing entries: scripts,
     * styles, images, fetches), so that a browser test can check that it fetched none.
     */
    private static final String RESOURCE_COUNT_JS = "addEventListener('load', () => document.body.dataset.resources"
            + " = performance.getEntriesByType('resource').length);";

    /**
     * Nothing from the network or any other origin; inline styles and images from data: URLs; of
     * scripts, only {@link #RESOURCE_COUNT_JS}, named by its hash.
     */
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-"
            + sha256(RESOURCE_COUNT_JS) + "'; base-uri 'none'; form-action 'none'";

    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();

    HtmlReport(String title) {
        this.title = title;
    }

    HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table: the first row is the header. */
    HtmlReport table(List<List<String>> rows) {
        body.append("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String cell = r == 0 ? "th" : "td";
            body.append("<tr>");
            for (String v : rows.get(r)) {
                body.append('<').append(cell).append('>').append(escape(v)).append("</").append(cell).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A chart, drawn here as SVG; {@code name} is its PNG file's name without the extension. */
    HtmlReport chart(String name, Chart<?, ?> chart) {
        if (charts.putIfAbsent(name, chart) != null) {
            throw new IllegalArgumentException("two charts named " + name);
        }
        body.append("<figure class=\"chart\" id=\"").append(escape(name)).append("\">").append(svg(chart))
                .append("</figure>\n");
        return this;
    }

    String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
                + "font-size:0.85em;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                + "th{background:#eee}figure{margin:1em 0}</style></head>\n<body>\n<h1>" + escape(title) + "</h1>\n"
                + body + "<script>" + RESOURCE_COUNT_JS + "</script>\n</body></html>\n";
    }

    /** Writes the page, whole or not at all; a file that cannot be written is a user error naming it. */
    void write(Path file) {
        OutputFiles.write("--html", file, tmp -> Files.writeString(tmp, html(), StandardCharsets.UTF_8));
    }

    /**
     * Writes every chart as {@code DIR/NAME.png}, making the directory if needed; refuses, before
     * writing any, if one of the files exists and {@code force} is off.
     */
    void writePngs(Path dir, boolean force) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--png " + dir + " cannot be written: " + e.getMessage());
        }
        for (String name : charts.keySet()) {
            OutputFiles.refuseExisting("--png", dir.resolve(name + ".png"), force);
        }
        for (Map.Entry<String, Chart<?, ?>> e : charts.entrySet()) {
            OutputFiles.write("--png", dir.resolve(e.getKey() + ".png"), tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    BitmapEncoder.saveBitmap(e.getValue(), out, BitmapEncoder.BitmapFormat.PNG);
                }
            });
        }
    }

    private static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        return svg.substring(svg.indexOf("<svg")); // inline: no XML declaration or doctype
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
