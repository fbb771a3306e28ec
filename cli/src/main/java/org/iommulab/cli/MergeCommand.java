package org.iommulab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.iommulab.report.CsvRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab merge PART...}: the parts of a sweep run with {@code --shard} as one sweep:
 * every part from the same grid (its {@code spec}), no point twice, rows in grid order and the
 * Pareto frontier marked over all of them. JSON parts give JSON, CSV parts CSV. As {@code pareto
 * FILE} it marks the frontier of one sweep's output, e.g. after rows were removed from it.
 */
@Command(name = "merge", aliases = "pareto", mixinStandardHelpOptions = true,
        description = "Combine the parts of a sweep run with --shard into the sweep's output; 'pareto FILE' marks the"
                + " frontier of one sweep's output anew.")
final class MergeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PART", description = "outputs of 'sweep --shard I/N --format json|csv'")
    private List<Path> parts = new ArrayList<>();

    @Override
    public Integer call() {
        String first = new String(read(parts.get(0)), java.nio.charset.StandardCharsets.UTF_8).stripLeading();
        boolean json = first.startsWith("[");
        String merged = json ? mergeJson() : mergeCsv(parts);
        if (merged.isBlank() || merged.strip().equals("[ ]")) {
            throw new IllegalArgumentException("the parts hold no rows of a sweep");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(merged);
        out.flush();
        return 0;
    }

    private String mergeJson() {
        TreeMap<Integer, ObjectNode> rows = new TreeMap<>();
        String specId = null;
        for (Path p : parts) {
            JsonNode all;
            try {
                all = InputFiles.json().readTree(read(p));
            } catch (IOException e) {
                throw new IllegalArgumentException(p + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (!all.isArray()) {
                throw new IllegalArgumentException(p + " is not a sweep's JSON output (a list of rows)");
            }
            for (JsonNode row : all) {
                specId = checkSpec(p, specId, row.path("spec").asText(null));
                put(p, rows, row.path("point"), (ObjectNode) row);
            }
        }
        List<ObjectNode> ordered = new ArrayList<>(rows.values());
        boolean[] on = SweepCommand.frontier(
                ordered.stream().map(r -> r.path("run").path("config").path("platform").asText() + " "
                        + r.path("run").path("config").path("hvProfile").asText("")).toList(),
                ordered.stream().mapToDouble(r -> r.path("run").path("throughput").path("iops").asDouble()).toArray(),
                ordered.stream().mapToDouble(r -> p99(r.path("run").path("staleWindowNs").path("p99"))).toArray());
        for (int i = 0; i < on.length; i++) {
            ordered.get(i).put("pareto", on[i]);
        }
        return OutputFormat.json(ordered);
    }

    /** The rows of sweep CSV outputs, as one sweep's, the frontier marked over all of them. */
    static String mergeCsv(List<Path> parts) {
        TreeMap<Integer, Map<String, Object>> rows = readCsv(parts);
        List<Map<String, Object>> ordered = new ArrayList<>(rows.values());
        if (ordered.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", parts.stream().map(Path::toString).toList())
                    + " hold no rows of a sweep's CSV output");
        }
        if (!ordered.get(0).containsKey("throughput.iops") || !ordered.get(0).containsKey("config.platform")) {
            throw new IllegalArgumentException(parts.get(0) + " is not a sweep's CSV output (no throughput.iops or config.platform column)");
        }
        boolean[] on = SweepCommand.frontier(
                ordered.stream().map(r -> r.get("config.platform") + " " + r.getOrDefault("config.hvProfile", "")).toList(),
                ordered.stream().mapToDouble(r -> Double.parseDouble((String) r.get("throughput.iops"))).toArray(),
                ordered.stream().mapToDouble(r -> {
                    String v = (String) r.get("staleWindowNs.p99");
                    return v == null || v.isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
                }).toArray());
        for (int i = 0; i < on.length; i++) {
            ordered.get(i).put("pareto", Boolean.toString(on[i]));
        }
        return CsvRenderer.render(ordered);
    }

    /** The rows of sweep CSV outputs by point, checked to come from one sweep with no point twice. */
    static TreeMap<Integer, Map<String, Object>> readCsv(List<Path> parts) {
        TreeMap<Integer, Map<String, Object>> rows = new TreeMap<>();
        String specId = null;
        for (Path p : parts) {
            try (Reader r = Files.newBufferedReader(p)) {
                for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                    Map<String, Object> row = new LinkedHashMap<>(rec.toMap());
                    // toMap loses the header order; restore it
                    Map<String, Object> inOrder = new LinkedHashMap<>();
                    rec.getParser().getHeaderNames().forEach(h -> inOrder.put(h, row.get(h)));
                    specId = checkSpec(p, specId, (String) inOrder.get("spec"));
                    put(p, rows, inOrder.get("point"), inOrder);
                }
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(p.toString())) {
                    throw (IllegalArgumentException) e;
                }
                throw new IllegalArgumentException(p + " is not a sweep's CSV output: " + e.getMessage());
            }
        }
        return rows;
    }

    private static double p99(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.POSITIVE_INFINITY;
    }

    private static String checkSpec(Path p, String expected, String actual) {
        if (actual == null || actual.isEmpty()) {
            throw new IllegalArgumentException(p + " has a row without a spec: not the output of 'sweep --shard'");
        }
        if (expected != null && !expected.equals(actual)) {
            throw new IllegalArgumentException(p + " comes from another sweep (spec " + actual + ", not " + expected
                    + "): merge the parts of one grid");
        }
        return actual;
    }

    private static <T> void put(Path p, TreeMap<Integer, T> rows, Object point, T row) {
        int k;
        try {
            k = point instanceof JsonNode n ? (n.isInt() ? n.asInt() : Integer.parseInt("x")) : Integer.parseInt((String) point);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(p + " has a row without a point number: not the output of 'sweep --shard'");
        }
        if (rows.putIfAbsent(k, row) != null) {
            throw new IllegalArgumentException(p + " repeats point " + k + ": a part was given twice, or shards overlap");
        }
    }

    private static byte[] read(Path p) {
        return InputFiles.read(p, 256L << 20, "merge takes the parts of one sweep");
    }
}
