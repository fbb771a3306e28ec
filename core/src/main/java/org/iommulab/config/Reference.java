package org.iommulab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference configuration ({@code reference.yaml}), loaded once. Its values are read by path,
 * e.g. {@code Reference.integer("machine", "cpus")}; a path the file lacks, or a value of the wrong
 * type, is a defect of the build and fails loudly when the class that reads it is initialised.
 */
public final class Reference {

    /** Where the file sits on the class path. */
    public static final String RESOURCE = "/org/iommulab/config/reference.yaml";

    private static final String TEXT = load();
    private static final JsonNode ROOT = parse(TEXT);

    private Reference() {}

    /** The file as it is, comments included, for {@code iommu-lab params --reference}. */
    public static String fileText() {
        return TEXT;
    }

    /** The node at {@code path}. */
    public static JsonNode node(String... path) {
        JsonNode n = ROOT;
        for (String p : path) {
            n = n.path(p);
        }
        if (n.isMissingNode()) {
            throw new IllegalStateException(RESOURCE + " has no " + String.join(".", path));
        }
        return n;
    }

    /** The names under the mapping at {@code path}, in the file's order. */
    public static List<String> names(String... path) {
        List<String> out = new ArrayList<>();
        node(path).fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The mapping at {@code path}, to read several values of one entry. */
    public static Section section(String... path) {
        return new Section(String.join(".", path), node(path));
    }

    public static int integer(String... path) {
        return value(path).integer();
    }

    public static long longValue(String... path) {
        return value(path).longValue();
    }

    public static boolean bool(String... path) {
        return value(path).bool();
    }

    public static String text(String... path) {
        return value(path).text();
    }

    private static Value value(String... path) {
        return new Value(String.join(".", path), node(path));
    }

    /** One mapping of the file and the path it sits at. */
    public record Section(String path, JsonNode node) {

        public int integer(String key) {
            return at(key).integer();
        }

        public boolean bool(String key) {
            return at(key).bool();
        }

        public String text(String key) {
            return at(key).text();
        }

        private Value at(String key) {
            JsonNode n = node.path(key);
            if (n.isMissingNode()) {
                throw new IllegalStateException(RESOURCE + " has no " + path + "." + key);
            }
            return new Value(path + "." + key, n);
        }
    }

    /** One scalar, checked for its type when read. */
    private record Value(String path, JsonNode node) {

        int integer() {
            return check(node.canConvertToInt() && node.isIntegralNumber(), "an int").intValue();
        }

        long longValue() {
            return check(node.canConvertToLong() && node.isIntegralNumber(), "a whole number").longValue();
        }

        boolean bool() {
            return check(node.isBoolean(), "true or false").booleanValue();
        }

        String text() {
            return check(node.isTextual(), "a string").textValue();
        }

        private JsonNode check(boolean ok, String what) {
            if (!ok) {
                throw new IllegalStateException(RESOURCE + ": " + path + " is not " + what + ": " + node);
            }
            return node;
        }
    }

    private static String load() {
        try (InputStream in = Reference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " is not valid YAML", e);
        }
    }
}
