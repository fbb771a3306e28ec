package org.iommulab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep described in a file ({@code iommu-lab sweep SPEC.yaml}), YAML or JSON:
 * <pre>
 * axes:                      # each a run option without --, or set:COST
 *   dma: [lazy-single, deadline-ranged]
 *   fq-size: 256..32768:x2   # or a list
 * run:                       # options every point shares
 *   platform: kvm
 *   duration-ms: 300
 * sample: lhs:20             # optional: random:N or lhs:N
 * </pre>
 * Axes and options given on the command line are added to the file's.
 */
record SweepSpecFile(List<String> axes, List<String> run, String sample) {

    private static final Set<String> KEYS = Set.of("axes", "run", "sample");

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static SweepSpecFile read(Path file) {
        JsonNode root;
        byte[] bytes = InputFiles.read(file, RunFile.MAX_BYTES, "a sweep spec names axes and options");
        try {
            InputFiles.checkYamlLines(file, bytes);
            root = InputFiles.settings(file, InputFiles.yaml().readTree(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not YAML or JSON: "
                    + e.getMessage().lines().findFirst().orElse("").strip());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " holds no map of axes, run and sample");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "'; allowed: axes, run, sample");
            }
        }
        List<String> axes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fields(file, root.path("axes"), "axes")) {
            JsonNode v = e.getValue();
            List<String> values = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(x -> values.add(scalar(file, "axes." + e.getKey(), x)));
            } else {
                values.add(scalar(file, "axes." + e.getKey(), v));
            }
            axes.add(e.getKey() + "=" + String.join(",", values));
        }
        List<String> run = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fields(file, root.path("run"), "run")) {
            run.add("--" + e.getKey());
            run.add(scalar(file, "run." + e.getKey(), e.getValue()));
        }
        String sample = root.has("sample") ? scalar(file, "sample", root.get("sample")) : null;
        return new SweepSpecFile(axes, run, sample);
    }

    private static List<Map.Entry<String, JsonNode>> fields(Path file, JsonNode node, String key) {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": " + key + " must be a map");
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        node.fields().forEachRemaining(out::add);
        return out;
    }

    private static String scalar(Path file, String key, JsonNode v) {
        if (!v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException(file + ": " + key + " must be a single value, not " + v.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT));
        }
        return v.asText();
    }
}
