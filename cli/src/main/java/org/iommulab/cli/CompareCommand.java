package org.iommulab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.iommulab.report.CsvRenderer;
import org.iommulab.report.FlatMetrics;
import org.iommulab.report.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab compare A.json B.json}: two results of {@code run --format json} side by side:
 * the configuration keys that differ, then every metric of either with B's ratio to A. Answers the
 * before/after question ("what if z/VM's exit took 5 us?").
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two 'run --format json' results: the configuration that differs, every metric and its ratio.")
final class CompareCommand implements Callable<Integer> {

    /** A result file larger than this is not one run's result. */
    static final long MAX_BYTES = 16L << 20;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "the baseline result")
    private Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "the result compared with it")
    private Path b;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "output format (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Override
    public Integer call() {
        Map<String, Object> left = FlatMetrics.flatten(read(a));
        Map<String, Object> right = FlatMetrics.flatten(read(b));
        Set<String> keys = new LinkedHashSet<>(left.keySet());
        keys.addAll(right.keySet());
        keys.removeIf(k -> k.equals("wallTimeMs") || k.startsWith("warnings."));
        List<String> ordered = new ArrayList<>(keys.stream().filter(k -> k.startsWith("config.")).toList());
        keys.stream().filter(k -> !k.startsWith("config.")).forEach(ordered::add);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String k : ordered) {
            Object x = left.get(k);
            Object y = right.get(k);
            boolean config = k.startsWith("config.");
            if (config && Objects.equals(x, y)) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", k);
            row.put("a", x);
            row.put("b", y);
            row.put("ratio", x instanceof Number n && y instanceof Number m && n.doubleValue() != 0
                    ? m.doubleValue() / n.doubleValue() : null);
            rows.add(row);
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.print(OutputFormat.json(rows));
            case csv -> out.print(CsvRenderer.render(rows));
            case table -> out.print(table(rows));
        }
        out.flush();
        return 0;
    }

    /** One run's result, or a one-line error naming the file. */
    private static Map<String, Object> read(Path file) {
        byte[] bytes = InputFiles.read(file, MAX_BYTES, "compare takes the result of one 'run --format json'");
        try {
            Object value = InputFiles.json().readValue(bytes, Object.class);
            if (!(value instanceof Map<?, ?> map) || !(map.get("config") instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(file + " is not the result of one 'run --format json'"
                        + " (a JSON object with a config)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> run = (Map<String, Object>) map;
            return run;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
    }

    private static String table(List<Map<String, Object>> rows) {
        TextTable t = new TextTable().left("key").right("A").right("B").right("B/A");
        for (Map<String, Object> r : rows) {
            t.row(r.get("key"), cell(r.get("a")), cell(r.get("b")),
                    r.get("ratio") == null ? "" : String.format(Locale.ROOT, "%.3fx", (Double) r.get("ratio")));
        }
        return t.render();
    }

    private static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        String s = v.toString();
        return s.length() > 18 ? s.substring(0, 17) + "~" : s;
    }
}
