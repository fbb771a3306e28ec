package org.iommulab.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One axis of a sweep: a {@code run} option, or a cost as {@code set:KEY}, and its values, given as
 * a list ({@code dma=strict,lazy-single}), a geometric range ({@code fq-size=256..32768:x2}) or an
 * arithmetic one ({@code fq-timeout-ms=1..10:+3}); ranges hold whole numbers and end at or below
 * their upper bound.
 *
 * @param name the option without its dashes, or {@code set:KEY}
 * @param values the values in order
 */
record SweepAxis(String name, List<String> values) {

    /** More values than this on one axis is a typo, not a sweep. */
    static final int MAX_VALUES = 1000;

    private static final Pattern RANGE = Pattern.compile("(-?\\d+)\\.\\.(-?\\d+):([x+])(\\d+(?:\\.\\d+)?)");

    /** @throws IllegalArgumentException naming the axis and what is allowed */
    static SweepAxis parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--axis " + spec + " is not NAME=VALUES, e.g. dma=strict,lazy-single,"
                    + " fq-size=256..32768:x2 or set:kvm.rpcitExitNs=5000,10000");
        }
        String name = spec.substring(0, eq);
        String values = spec.substring(eq + 1);
        Matcher m = RANGE.matcher(values);
        List<String> out;
        try {
            out = m.matches() ? range(spec, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    m.group(3).equals("x"), new BigDecimal(m.group(4))) : Arrays.asList(values.split(",", -1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--axis " + spec + ": a range's ends must be whole numbers of at most 18 digits");
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--axis " + spec + " has an empty value");
        }
        if (out.size() > MAX_VALUES) {
            throw new IllegalArgumentException("--axis " + spec + " has " + out.size() + " values; at most " + MAX_VALUES);
        }
        return new SweepAxis(name, List.copyOf(out));
    }

    private static List<String> range(String spec, long from, long to, boolean geometric, BigDecimal step) {
        if (from > to) {
            throw new IllegalArgumentException("--axis " + spec + ": the range starts above its end");
        }
        if (geometric ? step.compareTo(BigDecimal.ONE) <= 0 || from <= 0 : step.signum() <= 0 || step.scale() > 0) {
            throw new IllegalArgumentException("--axis " + spec + (geometric
                    ? ": a geometric range needs a start above 0 and a factor above 1"
                    : ": an arithmetic range needs a whole step above 0"));
        }
        List<String> out = new ArrayList<>();
        BigDecimal v = BigDecimal.valueOf(from);
        while (v.compareTo(BigDecimal.valueOf(to)) <= 0 && out.size() <= MAX_VALUES) {
            out.add(v.toBigInteger().toString());
            BigDecimal next = geometric ? v.multiply(step) : v.add(step);
            v = next.toBigInteger().compareTo(v.toBigInteger()) > 0 ? next : v.add(BigDecimal.ONE);
        }
        return out;
    }

    /** The {@code run} arguments that set this axis to {@code value}. */
    List<String> args(String value) {
        return name.startsWith("set:") ? List.of("--set", name.substring(4) + "=" + value) : List.of("--" + name, value);
    }
}
