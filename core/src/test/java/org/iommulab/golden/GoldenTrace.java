package org.iommulab.golden;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The traces under {@code golden/} on the test classpath. The README there is the index: every
 * trace has a SHA-256 line in it, so the list of traces to replay comes from the README and a
 * trace that is listed but missing fails instead of being skipped.
 */
public final class GoldenTrace {

    private static final Pattern SUM_LINE = Pattern.compile("^([0-9a-f]{64})  (\\S+\\.txt)$", Pattern.MULTILINE);

    private GoldenTrace() {
    }

    /** A trace of the index: its file name (without {@code .gz}) and the SHA-256 of its text. */
    public record Entry(String name, String sha256) {
    }

    /** Every trace the README lists, in README order. */
    public static List<Entry> index() {
        String readme;
        try (InputStream in = resource("README.md")) {
            readme = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> out = new ArrayList<>();
        Matcher m = SUM_LINE.matcher(readme);
        while (m.find()) {
            out.add(new Entry(m.group(2), m.group(1)));
        }
        return out;
    }

    /** The names of the listed traces starting with {@code prefix}, failing when fewer than {@code atLeast}. */
    public static List<String> named(String prefix, int atLeast) {
        List<String> names = index().stream().map(Entry::name).filter(n -> n.startsWith(prefix)).toList();
        if (names.size() < atLeast) {
            throw new IllegalStateException("golden/README.md lists " + names.size() + " " + prefix
                    + "* traces, expected at least " + atLeast);
        }
        return names;
    }

    /** The uncompressed text of trace {@code name} ({@code name.gz} on the classpath). */
    public static InputStream open(String name) throws IOException {
        return new GZIPInputStream(resource(name + ".gz"), 1 << 16);
    }

    /** All lines of trace {@code name}, header first. */
    public static List<String> lines(String name) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(name), StandardCharsets.US_ASCII))) {
            return r.lines().toList();
        }
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = GoldenTrace.class.getResourceAsStream("/golden/" + file);
        if (in == null) {
            throw new IOException("golden/" + file + " is not on the test classpath (core/src/test/resources/golden)");
        }
        return in;
    }
}
