package org.iommulab.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Files from machines nobody here controls (run, profile, measurement and sweep spec files,
 * results to compare or merge), read within limits a hostile file cannot get past: a size cap
 * checked while reading, so a device or pipe without end is refused too, and Jackson trees only
 * (no type a file names is ever instantiated) under {@link #LIMITS} on nesting and on string and
 * number lengths. YAML aliases are not expanded into the tree, so an alias bomb stays as small as
 * its file.
 */
final class InputFiles {

    /** Far beyond what any of the tool's files holds, far below what could hurt. */
    static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxStringLength(64 * 1024)
            .maxNumberLength(64)
            .build();

    private InputFiles() {}

    /**
     * The file's bytes, at most {@code maxBytes} of them.
     *
     * @param what what such a file is, for the error when it is larger
     * @throws IllegalArgumentException naming the file: missing, unreadable or too large
     */
    static byte[] read(Path file, long maxBytes, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                if (out.size() > maxBytes) {
                    throw new IllegalArgumentException(file + " is larger than " + size(maxBytes) + "; " + what);
                }
            }
            return out.toByteArray();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
    }

    /** The longest text value a run, profile, measurement or sweep spec file may hold (a path's length). */
    static final int MAX_SETTING_CHARS = 4096;

    /**
     * {@code root} itself, once every text value in it, keys included, is at most
     * {@link #MAX_SETTING_CHARS} long (the YAML reader does not apply {@link #LIMITS} to strings).
     *
     * @throws IllegalArgumentException naming the file and the value's start
     */
    static JsonNode settings(Path file, JsonNode root) {
        if (root == null) {
            return null;
        }
        Deque<JsonNode> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isTextual() && node.textValue().length() > MAX_SETTING_CHARS) {
                throw new IllegalArgumentException(file + " holds a value of " + node.textValue().length()
                        + " characters (" + node.textValue().substring(0, 20) + "...); a setting has at most "
                        + MAX_SETTING_CHARS);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().length() > MAX_SETTING_CHARS) {
                    throw new IllegalArgumentException(file + " holds a key of " + e.getKey().length()
                            + " characters; a key has at most " + MAX_SETTING_CHARS);
                }
                todo.push(e.getValue());
            }
            if (node.isArray()) {
                node.forEach(todo::push);
            }
        }
        return root;
    }

    /** The longest line of a YAML file: SnakeYAML's scanner slows on long lines, as no setting needs one. */
    static final int MAX_YAML_LINE = 2 * MAX_SETTING_CHARS;

    /**
     * Refuses a YAML file with a line longer than {@link #MAX_YAML_LINE} bytes before it is parsed.
     *
     * @throws IllegalArgumentException naming the file and the line
     */
    static void checkYamlLines(Path file, byte[] bytes) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i - start > MAX_YAML_LINE) {
                    throw new IllegalArgumentException(file + " line " + line + " is " + (i - start)
                            + " bytes long; a line of a settings file has at most " + MAX_YAML_LINE);
                }
                line++;
                start = i + 1;
            }
        }
    }

    /** A JSON reader of trees under {@link #LIMITS}. */
    static ObjectMapper json() {
        return new ObjectMapper(jsonFactory());
    }

    /** A YAML (and so also JSON) reader of trees under {@link #LIMITS}. */
    static ObjectMapper yaml() {
        return new ObjectMapper(yamlFactory());
    }

    static JsonFactory jsonFactory() {
        return JsonFactory.builder().streamReadConstraints(LIMITS).build();
    }

    static YAMLFactory yamlFactory() {
        return YAMLFactory.builder().streamReadConstraints(LIMITS).build();
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
