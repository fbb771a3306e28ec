package org.iommulab.trace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one line of ftrace text into a {@link TraceEvent}: the record header as tracefs and
 * {@code trace-cmd report} print it (task-pid, an optional TGID, [cpu], a flags column of 4 to 7
 * characters or none, the timestamp in seconds; the task, pid and cpu columns may be missing), then
 * the event's own text in the kernel's format. Returns a reason instead when the line is no
 * record this reader understands, so that nothing is dropped without being counted.
 */
public final class FtraceParser {

    private static final Pattern RECORD = Pattern.compile(
            "^\\s*(?:.+?-\\d+\\s+(?:\\(\\s*[\\d-]+\\)\\s+)?\\[(?<cpu>\\d+)\\]\\s+)?(?:[\\w.:]{4,7}\\s+)?"
                    + "(?<sec>\\d+)\\.(?<frac>\\d{1,9}):\\s+(?:(?<system>\\w+):)?(?<event>\\w+):\\s*(?<body>.*)$");
    private static final Pattern DMA = Pattern.compile(
            "^(?<device>\\S+) dir=(?<dir>\\w+) dma_addr=(?:0x)?(?<addr>[0-9a-fA-F]+) size=(?<size>\\d+)\\b.*");
    private static final Pattern FAULT = Pattern.compile(
            "^IOMMU:\\s*(?:\\S+\\s+)?(?<device>\\S+) iova=0x(?<iova>[0-9a-fA-F]+)\\b.*");

    /** What a line gave: an event, or why it is not one. */
    public sealed interface Result {
        record Event(TraceEvent event) implements Result {}

        /** A record of an event the checks do not read (another subsystem, a sync). */
        record Other(String event) implements Result {}

        /** Not a record this reader understands: a header, a comment, a cut-off line. */
        record Skipped(String why) implements Result {}
    }

    private FtraceParser() {}

    public static Result parse(String text, long line) {
        Matcher m = RECORD.matcher(text);
        if (!m.matches()) {
            return new Result.Skipped(text.isBlank() ? "blank" : text.startsWith("#") ? "comment or header" : "not a trace record");
        }
        String frac = (m.group("frac") + "000000000").substring(0, 9);
        long timeNs;
        try {
            timeNs = Math.multiplyExact(Long.parseLong(m.group("sec")), 1_000_000_000L) + Long.parseLong(frac);
        } catch (ArithmeticException | NumberFormatException e) {
            return new Result.Skipped("timestamp out of range");
        }
        String event = m.group("event");
        String body = m.group("body");
        int cpu = m.group("cpu") == null || m.group("cpu").length() > 6 ? -1 : Integer.parseInt(m.group("cpu"));
        return switch (event) {
            case "dma_map_page", "dma_map_phys", "dma_map_resource" -> dma(body, line, timeNs, cpu, true, event);
            case "dma_unmap_page", "dma_unmap_phys", "dma_unmap_resource" -> dma(body, line, timeNs, cpu, false, event);
            case "io_page_fault" -> fault(body, line, timeNs, cpu);
            default -> new Result.Other(event);
        };
    }

    private static Result dma(String body, long line, long timeNs, int cpu, boolean map, String event) {
        Matcher m = DMA.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped(event + " without device, dir, dma_addr and size (cut off?)");
        }
        long addr;
        long size;
        try {
            addr = Long.parseUnsignedLong(m.group("addr"), 16);
            size = Long.parseLong(m.group("size"));
        } catch (NumberFormatException e) {
            return new Result.Skipped(event + " with an address or size out of range");
        }
        return new Result.Event(map ? new TraceEvent.DmaMap(line, timeNs, cpu, m.group("device"), m.group("dir"), addr, size)
                : new TraceEvent.DmaUnmap(line, timeNs, cpu, m.group("device"), m.group("dir"), addr, size));
    }

    private static Result fault(String body, long line, long timeNs, int cpu) {
        Matcher m = FAULT.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped("io_page_fault without device and iova (cut off?)");
        }
        try {
            return new Result.Event(new TraceEvent.IoPageFault(line, timeNs, cpu, m.group("device"),
                    Long.parseUnsignedLong(m.group("iova"), 16)));
        } catch (NumberFormatException e) {
            return new Result.Skipped("io_page_fault with an iova out of range");
        }
    }
}
