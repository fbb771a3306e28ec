package org.iommulab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iommulab.report.TextTable;
import org.iommulab.trace.CaptureCheck;
import org.iommulab.trace.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab replay TRACE}: reads an ftrace capture of a machine's DMA and reports what the
 * kernel's DMA-API debugging would, plus accesses after unmap. Replaying the capture's DMA through
 * the model under other policies is not built yet; this command reads and checks.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Read an ftrace capture (tracefs 'trace' or 'trace-cmd report' text, gzip or plain) of dma:*"
                + " and iommu:io_page_fault events and report DMA-API misuse (unmap-unknown, double-unmap,"
                + " size-mismatch, direction-mismatch, leak) and faults after unmap.",
            "Replaying the capture under other policies is not built yet."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "the capture")
    private Path trace;

    @Option(names = "--strict", description = "make the first line that is no event read here an error")
    private boolean strict;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "output format (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Override
    public Integer call() {
        if (format == OutputFormat.csv) {
            throw new IllegalArgumentException("--format csv is not offered by replay; give table or json");
        }
        CaptureCheck.Report report;
        try (InputStream in = Files.newInputStream(trace)) {
            report = CaptureCheck.read(in, trace.toString(), strict);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(trace + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(trace + " cannot be read: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == OutputFormat.json ? OutputFormat.json(json(report)) : table(report));
        out.flush();
        return 0;
    }

    private static Map<String, Object> json(CaptureCheck.Report r) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> events = new LinkedHashMap<>();
        events.put("lines", r.lines());
        events.put("parsed", r.events());
        events.put("skipped", r.skipped());
        events.put("skippedByWhy", r.skippedByWhy());
        out.put("events", events);
        List<Map<String, Object>> skipped = new ArrayList<>();
        r.firstSkipped().forEach(s -> skipped.add(Map.of("line", s.line(), "why", s.why(), "text", s.text())));
        out.put("skippedLines", skipped);
        out.put("devices", r.devices());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind().key());
            m.put("device", f.device());
            m.put("iova", String.format("0x%x", f.iova()));
            m.put("size", f.size());
            m.put("lines", f.lines());
            m.put("detail", f.detail());
            findings.add(m);
        }
        out.put("findings", findings);
        return out;
    }

    private static String table(CaptureCheck.Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.lines()).append(" lines: ").append(r.events()).append(" events read, ").append(r.skipped())
                .append(" lines skipped\n");
        r.skippedByWhy().forEach((why, n) -> sb.append("  ").append(n).append(" skipped: ").append(why).append('\n'));
        r.firstSkipped().forEach(s -> sb.append("  skipped line ").append(s.line()).append(" (").append(s.why())
                .append("): ").append(s.text()).append('\n'));
        sb.append("devices: ").append(r.devices().isEmpty() ? "none" : String.join(", ", r.devices())).append('\n');
        if (r.findings().isEmpty()) {
            return sb.append("no findings\n").toString();
        }
        TextTable t = new TextTable().left("finding").left("device").right("iova").right("size").left("lines").left("detail");
        for (Finding f : r.findings()) {
            t.row(f.kind().key(), f.device(), String.format("0x%x", f.iova()), f.size(),
                    String.join(",", f.lines().stream().map(String::valueOf).toList()), f.detail());
        }
        return sb.append(t.render()).toString();
    }
}
