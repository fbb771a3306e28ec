package org.iommulab.trace;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a whole capture, streaming (gzip or plain text), through {@link FtraceParser} into
 * {@link DmaApiChecks}, and counts every line that gave no event with the reason, keeping the
 * first few, so that nothing is dropped without being reported.
 */
public final class CaptureCheck {

    /** Skipped lines kept with their text, the rest only counted. */
    public static final int SKIPPED_KEPT = 10;
    /** Longer lines are no trace records and are cut when kept. */
    private static final int MAX_KEPT_CHARS = 200;

    /** A line that gave no event, and why. */
    public record SkippedLine(long line, String why, String text) {}

    /**
     * @param events the events the checks read
     * @param skipped lines that gave no event the checks read
     * @param skippedByWhy how many lines each reason skipped
     * @param firstSkipped the first lines skipped for a reason other than being a comment, a header
     *     or blank, which every capture has
     */
    public record Report(long lines, long events, long skipped, Map<String, Long> skippedByWhy,
            List<SkippedLine> firstSkipped, List<String> devices, List<Finding> findings,
            Map<String, DmaApiChecks.DeviceSpan> spans) {}

    private CaptureCheck() {}

    /**
     * @param strict the first line that gives no event is an error
     * @throws IllegalArgumentException when {@code strict} meets such a line, or no line is a record
     */
    public static Report read(InputStream raw, String name, boolean strict) throws IOException {
        DmaApiChecks checks = new DmaApiChecks();
        List<SkippedLine> first = new ArrayList<>();
        Map<String, Long> byWhy = new TreeMap<>();
        long lines = 0;
        long events = 0;
        long skipped = 0;
        long records = 0;
        try (TraceLines r = TraceLines.of(raw, name)) {
            for (String text = r.next(); text != null; text = r.next()) {
                lines++;
                FtraceParser.Result result = FtraceParser.parse(text, lines);
                if (result instanceof FtraceParser.Result.Event e) {
                    checks.accept(e.event());
                    events++;
                    records++;
                    continue;
                }
                String why = result instanceof FtraceParser.Result.Other o ? "event " + o.event() + " is not read"
                        : ((FtraceParser.Result.Skipped) result).why();
                if (result instanceof FtraceParser.Result.Other) {
                    records++;
                }
                if (strict) {
                    throw new IllegalArgumentException(name + " line " + lines + ": " + why + " (--strict)");
                }
                skipped++;
                byWhy.merge(why, 1L, Long::sum);
                boolean expected = why.equals("comment or header") || why.equals("blank");
                if (!expected && first.size() < SKIPPED_KEPT) {
                    first.add(new SkippedLine(lines, why,
                            text.length() > MAX_KEPT_CHARS ? text.substring(0, MAX_KEPT_CHARS) + "..." : text));
                }
            }
        }
        if (records == 0) {
            throw new IllegalArgumentException(name + " holds no trace record in " + lines
                    + " lines; give the text of tracefs 'trace' or 'trace-cmd report'");
        }
        return new Report(lines, events, skipped, byWhy, first, checks.devices(), checks.findings(), checks.spans());
    }
}
