package org.iommulab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
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
            case table -> TableRenderer.render(titles, runs.stream().map(FlatMetrics::flatten).toList());
            case csv -> CsvRenderer.render(runs.stream().map(FlatMetrics::flatten).toList());
            case json -> json(runs.size() == 1 ? runs.get(0) : runs);
        };
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
