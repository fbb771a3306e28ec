package org.iommulab.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.iommulab.lab.Scenario;
import picocli.CommandLine;

/**
 * A run described in a file, YAML ({@code .yaml}, {@code .yml}) or JSON: the {@code config} object
 * of a {@code run --format json} result, or a whole result, or any subset of its keys. Each key
 * becomes the {@code run} option it records, and options given on the command line come after
 * them and win; so a result fed back runs again as it ran. Keys the run derives (the resolved
 * policy, the workload's seed and memory, its fixed internals) may be present but must then equal
 * what the run derives; anything else is an error naming the file, the line and what is allowed.
 */
final class RunFile {

    /** A run file larger than this is not a run file. */
    static final long MAX_BYTES = 1L << 20;

    /** The top-level keys, each with the option it sets. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("platform", "--platform"), Map.entry("hvProfile", "--hv-profile"),
            Map.entry("guestMemoryGiB", "--guest-memory-gib"), Map.entry("dma", "--dma"),
            Map.entry("fqSize", "--fq-size"), Map.entry("fqTimeoutMs", "--fq-timeout-ms"),
            Map.entry("workload", "--workload"), Map.entry("cpus", "--cpus"),
            Map.entry("durationMs", "--duration-ms"), Map.entry("seed", "--seed"), Map.entry("hz", "--hz"),
            Map.entry("rcacheMaxOrder", "--rcache-max-order"), Map.entry("optSizeCap", "--opt-size-cap"),
            Map.entry("smmuRangeInv", "--smmu-range-inv"), Map.entry("ats", "--ats"),
            Map.entry("functions", "--functions"), Map.entry("faults", "--fault"));
    /** Each workload's option keys; its other keys are derived. */
    private static final Map<String, Map<String, String>> WORKLOAD_OPTIONS = Map.of(
            "fio", Map.of("numjobs", "--numjobs", "iodepth", "--iodepth", "bs", "--bs", "rwmixread", "--rwmixread",
                    "drive", "--device"),
            "netperf", Map.of("traffic", "--traffic", "queues", "--queues", "mtu", "--mtu", "nicGbps", "--nic-gbps"),
            "mapbench", Map.of("threads", "--threads", "granule", "--granule", "dir", "--direction",
                    "delayNs", "--delay-ns", "dmaBits", "--dma-bits"));
    /** Top-level keys a result holds that the run derives. */
    private static final Set<String> DERIVED = Set.of("dmaResolved");

    private final Path file;
    private final JsonNode config;
    private final Map<String, Integer> lines;

    private RunFile(Path file, JsonNode config, Map<String, Integer> lines) {
        this.file = file;
        this.config = config;
        this.lines = lines;
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static RunFile read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString().toLowerCase(Locale.ROOT);
        JsonFactory factory = name.endsWith(".yaml") || name.endsWith(".yml") ? InputFiles.yamlFactory()
                : InputFiles.jsonFactory();
        byte[] bytes = InputFiles.read(file, MAX_BYTES, "a run file holds one run's configuration");
        try {
            if (factory instanceof YAMLFactory) {
                InputFiles.checkYamlLines(file, bytes);
            }
            JsonNode root = InputFiles.settings(file, new ObjectMapper(factory).readTree(bytes));
            Map<String, Integer> lines = lines(factory, bytes);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(file + " holds no object; a run file is a map of run settings");
            }
            boolean result = root.has("config") && root.get("config").isObject();
            return new RunFile(file, result ? root.get("config") : root, result ? prefixed(lines) : lines);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + (e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr())
                    + ": not valid " + (factory instanceof YAMLFactory ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("").strip());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
    }

    /** The line of each key, by its path: {@code cpus}, {@code workloadOptions.iodepth}. */
    private static Map<String, Integer> lines(JsonFactory factory, byte[] bytes) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser p = factory.createParser(bytes)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    String path = p.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
                    out.putIfAbsent(path, p.currentLocation().getLineNr());
                }
            }
        }
        return out;
    }

    /** The lines of a whole result's keys, keyed as if {@code config} were the top. */
    private static Map<String, Integer> prefixed(Map<String, Integer> lines) {
        Map<String, Integer> out = new HashMap<>();
        lines.forEach((k, v) -> {
            if (k.startsWith("config.")) {
                out.put(k.substring("config.".length()), v);
            }
        });
        return out;
    }

    /**
     * The scenario this file describes, with {@code overrides} (command-line options of
     * {@code run}) applied after it.
     */
    Scenario scenario(List<String> overrides) {
        Map<String, List<String>> byKey = args();
        List<String> args = new ArrayList<>();
        byKey.values().forEach(args::addAll);
        args.addAll(overrides);
        RunCommand run = new RunCommand();
        CommandLine line = Main.parser(run).setOverwrittenOptionsAllowed(true);
        try {
            line.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(where(keyOf(byKey, e)) + e.getMessage());
        }
        Scenario s;
        try {
            s = run.scenario();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where(blame(byKey, overrides)) + e.getMessage());
        }
        checkDerived(s);
        return s;
    }

    /**
     * The key a value the scenario refused comes from: the first of the file whose removal lets
     * the run be built, or null when no single key does (then the error names the file alone).
     */
    private static String blame(Map<String, List<String>> byKey, List<String> overrides) {
        for (String key : byKey.keySet()) {
            List<String> args = new ArrayList<>();
            byKey.forEach((k, a) -> {
                if (!k.equals(key)) {
                    args.addAll(a);
                }
            });
            args.addAll(overrides);
            RunCommand run = new RunCommand();
            try {
                Main.parser(run).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
                run.scenario();
                return key;
            } catch (IllegalArgumentException | CommandLine.ParameterException e) {
                // not this key alone
            }
        }
        return null;
    }

    /** Each key's {@code run} arguments, in the file's order. */
    private Map<String, List<String>> args() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (OPTIONS.containsKey(key)) {
                if (!v.isNull()) {
                    out.put(key, List.of(OPTIONS.get(key), scalar(key, v)));
                }
            } else if (key.equals("workloadOptions")) {
                out.putAll(workloadArgs(v));
            } else if (key.equals("costOverrides")) {
                out.put(key, costArgs(v));
            } else if (!DERIVED.contains(key)) {
                throw new IllegalArgumentException(where(key) + "unknown key '" + key + "'; allowed: " + String.join(", ",
                        new java.util.TreeSet<>(allowedTopKeys())));
            }
        }
        return out;
    }

    private static Set<String> allowedTopKeys() {
        Set<String> all = new java.util.HashSet<>(OPTIONS.keySet());
        all.addAll(List.of("workloadOptions", "costOverrides"));
        all.addAll(DERIVED);
        return all;
    }

    private Map<String, List<String>> workloadArgs(JsonNode options) {
        if (!options.isObject()) {
            throw new IllegalArgumentException(where("workloadOptions") + "workloadOptions must be a map of the workload's options");
        }
        String workload = config.path("workload").asText("fio");
        Map<String, String> known = WORKLOAD_OPTIONS.getOrDefault(workload, Map.of());
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "workloadOptions." + e.getKey();
            String option = known.get(e.getKey());
            if (option != null) {
                String value = scalar(key, e.getValue());
                out.put(key, List.of(option, option.equals("--direction") ? direction(key, value) : value));
            }
        }
        return out;
    }

    /** mapbench's {@code dir} as recorded (bidirectional, to_device, from_device) to {@code --direction}. */
    private String direction(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "bidirectional", "0" -> "0";
            case "to_device", "1" -> "1";
            case "from_device", "2" -> "2";
            default -> throw new IllegalArgumentException(where(key) + key + " '" + value
                    + "' is not one of bidirectional, to_device, from_device");
        };
    }

    /** The file's cost overrides as {@code NAME=VALUE}, or none: what {@code --profile} applies. */
    List<String> costSettings() {
        JsonNode v = config.get("costOverrides");
        if (v == null) {
            return List.of();
        }
        List<String> args = costArgs(v);
        List<String> out = new ArrayList<>();
        for (int i = 1; i < args.size(); i += 2) {
            out.add(args.get(i));
        }
        return out;
    }

    private List<String> costArgs(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> out.addAll(List.of("--set", scalar("costOverrides", e))));
        } else if (v.isObject()) {
            v.fields().forEachRemaining(e -> out.addAll(List.of("--set", e.getKey() + "=" + scalar("costOverrides." + e.getKey(),
                    e.getValue()))));
        } else {
            throw new IllegalArgumentException(where("costOverrides") + "costOverrides must be a list of NAME=VALUE or a map");
        }
        return out;
    }

    private String scalar(String key, JsonNode v) {
        if (!v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException(where(key) + key + " must be a single value, not " + v.getNodeType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        return v.asText();
    }

    /** The derived keys the file holds must match what the run derives: editing them would do nothing. */
    private void checkDerived(Scenario s) {
        Map<String, Object> resolved = s.describe(null, null);
        JsonNode dmaResolved = config.get("dmaResolved");
        if (dmaResolved != null && !dmaResolved.asText().equals(resolved.get("dmaResolved"))) {
            throw new IllegalArgumentException(where("dmaResolved") + "dmaResolved is derived from dma and platform ("
                    + resolved.get("dmaResolved") + "); set dma instead");
        }
        JsonNode options = config.get("workloadOptions");
        if (options == null) {
            return;
        }
        Map<String, String> known = WORKLOAD_OPTIONS.getOrDefault(s.workload().name(), Map.of());
        Map<?, ?> derived = (Map<?, ?>) resolved.get("workloadOptions");
        ObjectMapper json = new ObjectMapper();
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (known.containsKey(e.getKey())) {
                continue;
            }
            String key = "workloadOptions." + e.getKey();
            if (!derived.containsKey(e.getKey())) {
                throw new IllegalArgumentException(where(key) + "unknown key '" + e.getKey() + "' for workload "
                        + s.workload().name() + "; its options: " + String.join(", ", new java.util.TreeSet<>(known.keySet())));
            }
            JsonNode expected = json.valueToTree(derived.get(e.getKey()));
            if (expected.equals(RunFile::compareValues, e.getValue()) == false) {
                throw new IllegalArgumentException(where(key) + key + " is derived (" + expected
                        + " for this run), not an option; leave it out or set what it derives from");
            }
        }
    }

    /** Numbers by value (a file's 1 is a result's 1L), everything else as Jackson compares it. */
    private static int compareValues(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    private String keyOf(Map<String, List<String>> byKey, CommandLine.ParameterException e) {
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            for (Map.Entry<String, List<String>> k : byKey.entrySet()) {
                if (!k.getValue().isEmpty() && List.of(option.names()).contains(k.getValue().get(0))) {
                    return k.getKey();
                }
            }
        }
        return null;
    }

    /** "FILE line N: " for a key, or "FILE: " when its line is unknown. */
    private String where(String key) {
        Integer line = key == null ? null : lines.get(key);
        return file + (line == null ? "" : " line " + line) + ": ";
    }
}
