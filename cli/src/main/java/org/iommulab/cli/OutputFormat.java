package org.iommulab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.iommulab.report.CsvRenderer;
import org.iommulab.report.FlatMetrics;
import org.iommulab.report.TableRenderer;

/** How run results are printed: a table for people, JSON or CSV for programs. */
enum OutputFormat {
    table,
    json,
    csv;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Renders runs: titles head the table columns; JSON is one object or, for several runs, an array. */
    String render(List<String> titles, List<Map<String, Object>> runs) {
        return switch (this) {
            case table -> TableRenderer.render(titles, tableRows(runs));
            case csv -> CsvRenderer.render(runs.stream().map(OutputFormat::csvRow).toList());
            case json -> json(runs.size() == 1 ? runs.get(0) : runs);
        };
    }

    /**
     * A run as one CSV row: every run has the same columns, so rows of many runs, platforms,
     * modes and workloads stack into one file. Configuration that varies in shape (the workload's
     * options, the cost overrides) is one column of {@code key=value} pairs; per-lock figures (a
     * machine has dozens of locks, named per device and CPU), the counters only one platform
     * publishes ({@code metrics}) and the warnings stay in JSON and the table.
     */
    static Map<String, Object> csvRow(Map<String, Object> run) {
        Map<String, Object> compact = new LinkedHashMap<>(run);
        if (run.get("config") instanceof Map<?, ?> config) {
            Map<String, Object> c = new LinkedHashMap<>();
            config.forEach((key, value) -> c.put((String) key,
                    value instanceof Map<?, ?> || value instanceof List<?> ? pairs(value) : value));
            compact.put("config", c);
        }
        Map<String, Object> row = FlatMetrics.flatten(compact);
        row.keySet().removeIf(key -> key.startsWith("locks.") || key.startsWith("metrics.") || key.startsWith("warnings."));
        return row;
    }

    /** A nested configuration value as {@code key=value} pairs separated by spaces. */
    private static String pairs(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(" "));
        }
        StringJoiner j = new StringJoiner(" ");
        FlatMetrics.flatten(castMap(value)).forEach((key, v) -> j.add(key + "=" + v));
        return j.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castMap(Object value) {
        return (Map<String, ?>) value;
    }

    /**
     * Flattened runs for the table, which leaves out locks that no run ever contended (a machine
     * has dozens of per-CPU locks); JSON and CSV keep every one.
     */
    private static List<Map<String, Object>> tableRows(List<Map<String, Object>> runs) {
        List<Map<String, Object>> flat = runs.stream().map(FlatMetrics::flatten).toList();
        Set<String> contended = new HashSet<>();
        for (Map<String, Object> run : flat) {
            run.forEach((key, value) -> {
                if (key.startsWith("locks.") && key.endsWith(".contended") && value instanceof Number n && n.longValue() > 0) {
                    contended.add(key.substring(0, key.lastIndexOf('.')));
                }
            });
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> run : flat) {
            Map<String, Object> kept = new LinkedHashMap<>();
            run.forEach((key, value) -> {
                if (key.startsWith("warnings.") || key.equals("limitedBy.detail")) {
                    return; // printed below the table or on stderr
                }
                if (!key.startsWith("locks.") || contended.contains(key.substring(0, key.lastIndexOf('.')))) {
                    kept.put(key, value);
                }
            });
            out.add(kept);
        }
        return out;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
