package org.iommulab.golden;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code #} line that opens every golden trace: its kind (the first word) and its
 * {@code name=number} parameters. A replay takes every parameter from here, and a parameter the
 * model cannot honour is refused with a message naming the trace, the value and what is allowed.
 */
public final class TraceHeader {

    private static final Pattern PARAM = Pattern.compile("\\b(\\w+)=(\\d+)\\b");

    private final String trace;
    private final String kind;
    private final Map<String, Long> params = new LinkedHashMap<>();

    private TraceHeader(String trace, String kind) {
        this.trace = trace;
        this.kind = kind;
    }

    /** @throws IllegalArgumentException when {@code line} is not a {@code # kind ...} header */
    public static TraceHeader parse(String trace, String line) {
        if (line == null || !line.startsWith("# ") || line.length() < 3) {
            throw new IllegalArgumentException(trace + ": line 1 must be the '# <kind> ... name=value ...' header, found '"
                    + line + "'");
        }
        int end = line.indexOf(' ', 2);
        TraceHeader h = new TraceHeader(trace, line.substring(2, end < 0 ? line.length() : end));
        Matcher m = PARAM.matcher(line);
        while (m.find()) {
            try {
                h.params.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(trace + ": header parameter " + m.group(1) + "=" + m.group(2)
                        + " does not fit a 64-bit signed number");
            }
        }
        return h;
    }

    public String kind() {
        return kind;
    }

    /** Parameter {@code name}, which must lie in {@code [min, max]}. */
    public long require(String name, long min, long max) {
        Long v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException(trace + ": the header has no " + name + "= parameter");
        }
        return inRange(name, v, min, max);
    }

    /** Parameter {@code name}, or {@code absent} when the header does not give it. */
    public long optional(String name, long absent, long min, long max) {
        Long v = params.get(name);
        return v == null ? absent : inRange(name, v, min, max);
    }

    private long inRange(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(trace + ": header " + name + "=" + v + " cannot be replayed; the model takes "
                    + (min == max ? Long.toString(min) : min + ".." + max));
        }
        return v;
    }
}
