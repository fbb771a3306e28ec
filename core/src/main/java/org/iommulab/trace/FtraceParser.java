package org.iommulab.trace;

import java.util.ArrayList;
import java.util.List;
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

    private static final Pattern DMA = Pattern.compile(
            "^(?<device>\\S+)(?: dir=(?<dir>\\w+))? dma_addr=(?:0x)?(?<addr>[0-9a-fA-F]+) size=(?<size>\\d+)\\b.*");
    /** {@code dma_map_sg}, with the counts and truncation mark of the 2026 form or without. */
    private static final Pattern MAP_SG = Pattern.compile("^(?<device>\\S+) dir=(?<dir>\\w+)"
            + "(?: nents=\\d+/\\d+ ents=\\d+/\\d+(?<truncated> \\[TRUNCATED\\])?)? dma_addrs=\\{(?<dma>[^}]*)\\}"
            + " sizes=\\{(?<sizes>[^}]*)\\} phys_addrs=\\{(?<phys>[^}]*)\\}.*");
    private static final Pattern SYNC_SG = Pattern.compile(
            "^(?<device>\\S+) dir=\\w+ dma_addrs=\\{(?<dma>[^}]*)\\} sizes=\\{(?<sizes>[^}]*)\\}.*");
    private static final Pattern MAP_SG_ERR = Pattern.compile("^(?<device>\\S+) dir=\\w+ dma_addrs=\\{[^}]*\\} err=(?<err>-?\\d+)\\b.*");
    private static final Pattern SWIOTLB = Pattern.compile(
            "^dev_name: (?<device>\\S+) dma_mask=[0-9a-fA-F]+ dev_addr=(?<addr>[0-9a-fA-F]+) size=(?<size>\\d+)\\b.*");
    private static final Pattern GROUP = Pattern.compile("^IOMMU: groupID=(?<group>-?\\d+) device=(?<device>\\S+)\\s*$");
    private static final Pattern ATTACH = Pattern.compile("^IOMMU: device=(?<device>\\S+)\\s*$");
    private static final Pattern UNMAP_SG = Pattern.compile("^(?<device>\\S+) dir=(?<dir>\\w+) phys_addrs=\\{(?<phys>[^}]*)\\}.*");
    private static final Pattern IOMMU_MAP = Pattern.compile(
            "^IOMMU: iova=0x(?<iova>[0-9a-fA-F]+)(?: - 0x[0-9a-fA-F]+)? paddr=0x[0-9a-fA-F]+ size=(?<size>\\d+)\\b.*");
    private static final Pattern IOMMU_UNMAP = Pattern.compile(
            "^IOMMU: iova=0x(?<iova>[0-9a-fA-F]+)(?: - 0x[0-9a-fA-F]+)? size=(?<size>\\d+) unmapped_size=\\d+\\b.*");
    private static final Pattern FAULT = Pattern.compile(
            "^IOMMU:\\s*(?:\\S+\\s+)?(?<device>\\S+) iova=0x(?<iova>[0-9a-fA-F]+)(?: flags=0x(?<flags>[0-9a-fA-F]{1,8}))?\\b.*");

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
        int colon = timestampEnd(text);
        if (colon < 0) {
            return new Result.Skipped(text.isBlank() ? "blank" : text.startsWith("#") ? "comment or header" : "not a trace record");
        }
        int tsStart = colon;
        while (tsStart > 0 && text.charAt(tsStart - 1) != ' ' && text.charAt(tsStart - 1) != '\t') {
            tsStart--;
        }
        int dot = text.indexOf('.', tsStart);
        long timeNs;
        try {
            String frac = (text.substring(dot + 1, colon) + "000000000").substring(0, 9);
            timeNs = Math.multiplyExact(Long.parseLong(text, tsStart, dot, 10), 1_000_000_000L) + Long.parseLong(frac);
        } catch (ArithmeticException | NumberFormatException e) {
            return new Result.Skipped("timestamp out of range");
        }
        int nameStart = skipSpaces(text, colon + 2);
        int nameEnd = wordEnd(text, nameStart);
        if (nameEnd == nameStart || nameEnd >= text.length() || text.charAt(nameEnd) != ':') {
            return new Result.Skipped("not a trace record");
        }
        int afterSystem = wordEnd(text, nameEnd + 1);
        if (afterSystem > nameEnd + 1 && afterSystem < text.length() && text.charAt(afterSystem) == ':') {
            nameStart = nameEnd + 1; // "system:event:"
            nameEnd = afterSystem;
        }
        String event = text.substring(nameStart, nameEnd);
        String body = text.substring(skipSpaces(text, nameEnd + 1));
        int cpu = cpu(text, tsStart);
        return switch (event) {
            case "dma_map_page", "dma_map_phys", "dma_map_resource", "dma_unmap_page", "dma_unmap_phys",
                    "dma_unmap_resource", "dma_alloc", "dma_alloc_pages", "dma_free", "dma_free_pages",
                    "dma_sync_single_for_cpu", "dma_sync_single_for_device" -> single(body, line, timeNs, cpu, event);
            case "dma_map_sg" -> mapSg(body, line, timeNs, cpu);
            case "dma_sync_sg_for_cpu", "dma_sync_sg_for_device" -> syncSg(body, line, timeNs, cpu, event);
            case "dma_map_sg_err" -> mapSgError(body, line, timeNs, cpu);
            case "swiotlb_bounced" -> bounce(body, line, timeNs, cpu);
            case "add_device_to_group", "remove_device_from_group" -> device(GROUP, body, line, timeNs, cpu, event);
            case "attach_device_to_domain", "detach_device_from_domain" -> device(ATTACH, body, line, timeNs, cpu, event);
            case "dma_unmap_sg" -> unmapSg(body, line, timeNs, cpu);
            case "map" -> iommu(IOMMU_MAP, body, line, timeNs, cpu, true);
            case "unmap" -> iommu(IOMMU_UNMAP, body, line, timeNs, cpu, false);
            case "io_page_fault" -> fault(body, line, timeNs, cpu);
            default -> new Result.Other(event);
        };
    }

    /**
     * Where the record's timestamp ends: the first ": " after a token of digits, a dot and digits;
     * -1 when the line has none, so is no record.
     */
    private static int timestampEnd(String text) {
        for (int colon = text.indexOf(": "); colon >= 0; colon = text.indexOf(": ", colon + 1)) {
            int i = colon - 1;
            int fraction = 0;
            while (i >= 0 && Character.isDigit(text.charAt(i))) {
                i--;
                fraction++;
            }
            if (fraction == 0 || fraction > 9 || i < 1 || text.charAt(i) != '.') {
                continue;
            }
            int dot = i--;
            while (i >= 0 && Character.isDigit(text.charAt(i))) {
                i--;
            }
            if (dot - i > 1 && (i < 0 || text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                return colon;
            }
        }
        return -1;
    }

    /** The number in the last {@code [cpu]} column before the timestamp, or -1 when there is none. */
    private static int cpu(String text, int tsStart) {
        int open = text.lastIndexOf('[', tsStart);
        int close = open < 0 ? -1 : text.indexOf(']', open);
        if (close < 0 || close > tsStart || close - open < 2 || close - open > 7) {
            return -1;
        }
        for (int i = open + 1; i < close; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(text, open + 1, close, 10);
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int wordEnd(String text, int i) {
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    /**
     * A single-address event ({@code dma_map_page}, {@code dma_unmap_phys}, {@code dma_alloc},
     * {@code dma_free_pages}, {@code dma_sync_single_for_cpu}, ...): the device, an optional
     * {@code dir=}, {@code dma_addr=} and {@code size=}.
     */
    private static Result single(String body, long line, long timeNs, int cpu, String event) {
        Matcher m = DMA.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped(event + " without device, dma_addr and size (cut off?)");
        }
        long addr;
        long size;
        try {
            addr = Long.parseUnsignedLong(m.group("addr"), 16);
            size = Long.parseLong(m.group("size"));
        } catch (NumberFormatException e) {
            return new Result.Skipped(event + " with an address or size out of range");
        }
        String device = m.group("device");
        String dir = m.group("dir") == null ? "BIDIRECTIONAL" : m.group("dir");
        TraceEvent e;
        if (event.startsWith("dma_map")) {
            e = new TraceEvent.DmaMap(line, timeNs, cpu, device, dir, addr, size);
        } else if (event.startsWith("dma_unmap")) {
            e = new TraceEvent.DmaUnmap(line, timeNs, cpu, device, dir, addr, size);
        } else if (event.startsWith("dma_alloc")) {
            e = new TraceEvent.DmaAlloc(line, timeNs, cpu, device, addr, size);
        } else if (event.startsWith("dma_free")) {
            e = new TraceEvent.DmaFree(line, timeNs, cpu, device, addr, size);
        } else {
            e = new TraceEvent.DmaSync(line, timeNs, cpu, device, addr, size);
        }
        return new Result.Event(e);
    }

    private static Result mapSg(String body, long line, long timeNs, int cpu) {
        Matcher m = MAP_SG.matcher(body);
        if (!m.matches() || body.endsWith("[TRUNCATED]")) {
            return new Result.Skipped("dma_map_sg without its dma_addrs, sizes and phys_addrs (cut off?)");
        }
        if (m.group("truncated") != null) {
            return new Result.Skipped("dma_map_sg of more than 128 segments, which the event truncates");
        }
        List<Long> dma = array(m.group("dma"));
        List<Long> sizes = array(m.group("sizes"));
        List<Long> phys = array(m.group("phys"));
        if (dma == null || sizes == null || phys == null || dma.size() != sizes.size() || dma.isEmpty() || phys.isEmpty()) {
            return new Result.Skipped("dma_map_sg with arrays that do not read as addresses and sizes");
        }
        return new Result.Event(new TraceEvent.DmaMapSg(line, timeNs, cpu, m.group("device"), m.group("dir"), dma, sizes,
                phys));
    }

    private static Result unmapSg(String body, long line, long timeNs, int cpu) {
        Matcher m = UNMAP_SG.matcher(body);
        List<Long> phys = m.matches() ? array(m.group("phys")) : null;
        if (phys == null || phys.isEmpty() || body.endsWith("[TRUNCATED]")) {
            return new Result.Skipped("dma_unmap_sg without its phys_addrs (cut off?)");
        }
        return new Result.Event(new TraceEvent.DmaUnmapSg(line, timeNs, cpu, m.group("device"), m.group("dir"), phys));
    }

    private static Result syncSg(String body, long line, long timeNs, int cpu, String event) {
        Matcher m = SYNC_SG.matcher(body);
        List<Long> dma = m.matches() ? array(m.group("dma")) : null;
        List<Long> sizes = dma == null ? null : array(m.group("sizes"));
        if (sizes == null || dma.isEmpty() || dma.size() != sizes.size()) {
            return new Result.Skipped(event + " without its dma_addrs and sizes (cut off?)");
        }
        return new Result.Event(new TraceEvent.DmaSyncSg(line, timeNs, cpu, m.group("device"), dma, sizes));
    }

    private static Result mapSgError(String body, long line, long timeNs, int cpu) {
        Matcher m = MAP_SG_ERR.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped("dma_map_sg_err without device and err (cut off?)");
        }
        try {
            return new Result.Event(new TraceEvent.DmaMapSgError(line, timeNs, cpu, m.group("device"),
                    Integer.parseInt(m.group("err"))));
        } catch (NumberFormatException e) {
            return new Result.Skipped("dma_map_sg_err with an err out of range");
        }
    }

    private static Result bounce(String body, long line, long timeNs, int cpu) {
        Matcher m = SWIOTLB.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped("swiotlb_bounced without dev_name, dev_addr and size (cut off?)");
        }
        try {
            return new Result.Event(new TraceEvent.SwiotlbBounce(line, timeNs, cpu, m.group("device"),
                    Long.parseUnsignedLong(m.group("addr"), 16), Long.parseLong(m.group("size"))));
        } catch (NumberFormatException e) {
            return new Result.Skipped("swiotlb_bounced with an address or size out of range");
        }
    }

    private static Result device(Pattern form, String body, long line, long timeNs, int cpu, String event) {
        Matcher m = form.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped(event + " without its device (cut off?)");
        }
        try {
            int group = form == GROUP ? Integer.parseInt(m.group("group")) : -1;
            return new Result.Event(new TraceEvent.IommuDevice(line, timeNs, cpu, m.group("device"), event, group));
        } catch (NumberFormatException e) {
            return new Result.Skipped(event + " with a group out of range");
        }
    }

    /** {@code __print_array}'s {@code {0x1,0x2}} contents, or null when an element is no number. */
    private static List<Long> array(String text) {
        List<Long> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String v = item.strip();
            try {
                out.add(v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }

    private static Result iommu(Pattern form, String body, long line, long timeNs, int cpu, boolean map) {
        Matcher m = form.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped("iommu " + (map ? "map" : "unmap") + " without iova and size (cut off?)");
        }
        try {
            long iova = Long.parseUnsignedLong(m.group("iova"), 16);
            long size = Long.parseLong(m.group("size"));
            return new Result.Event(map ? new TraceEvent.IommuMap(line, timeNs, cpu, TraceEvent.IOMMU_STREAM, iova, size)
                    : new TraceEvent.IommuUnmap(line, timeNs, cpu, TraceEvent.IOMMU_STREAM, iova, size));
        } catch (NumberFormatException e) {
            return new Result.Skipped("iommu event with an iova or size out of range");
        }
    }

    private static Result fault(String body, long line, long timeNs, int cpu) {
        Matcher m = FAULT.matcher(body);
        if (!m.matches()) {
            return new Result.Skipped("io_page_fault without device and iova (cut off?)");
        }
        try {
            boolean write = m.group("flags") != null && (Long.parseLong(m.group("flags"), 16) & 1) != 0;
            return new Result.Event(new TraceEvent.IoPageFault(line, timeNs, cpu, m.group("device"),
                    Long.parseUnsignedLong(m.group("iova"), 16), write));
        } catch (NumberFormatException e) {
            return new Result.Skipped("io_page_fault with an iova out of range");
        }
    }
}
