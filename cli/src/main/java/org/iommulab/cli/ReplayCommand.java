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
import org.iommulab.lab.Scenario;
import org.iommulab.lab.WorkloadSpec;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.report.CsvRenderer;
import org.iommulab.report.TextTable;
import org.iommulab.stats.RepeatedRuns;
import org.iommulab.stats.RunStats;
import org.iommulab.trace.CaptureCheck;
import org.iommulab.trace.DmaApiChecks;
import org.iommulab.trace.Finding;
import org.iommulab.trace.TraceEvent;
import org.iommulab.workload.ReplayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab replay TRACE}: reads an ftrace capture of a machine's DMA and reports what the
 * kernel's DMA-API debugging would, plus accesses after unmap; with {@code --dma}, replays one
 * device's maps and unmaps through the model under each policy asked for, side by side.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Read an ftrace capture (tracefs 'trace' or 'trace-cmd report' text, gzip or plain) of dma:*,"
                + " iommu:map/unmap and iommu:io_page_fault events and report DMA-API misuse (unmap-unknown,"
                + " double-unmap, size-mismatch, direction-mismatch, sg-unmap-unmatched, free-unknown, sync-unmapped,"
                + " leak) and faults after unmap.",
            "With --dma, replay one device's dma_map/unmap events, at the capture's times and CPUs, through the"
                + " model under each policy on --platform, side by side."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "the capture")
    private Path trace;

    @Option(names = "--strict", description = "make the first line that is no event read here an error")
    private boolean strict;

    @Option(names = "--dma", split = ",", paramLabel = "POLICY[,POLICY...]", converter = PolicyNames.class,
            description = "replay the capture under each of these policies (see 'iommu-lab policies')")
    private List<InvalidationPolicy> policies = new ArrayList<>();

    @Option(names = "--platform", defaultValue = "kvm", paramLabel = "PLATFORM", converter = PlatformNames.class,
            description = "the platform the replay runs on (default: ${DEFAULT-VALUE})")
    private PlatformKind platform;

    @Option(names = "--device", paramLabel = "NAME|all",
            description = "the device to replay, by its name in the capture, or all of them one after another (default:"
                    + " the one with most maps and unmaps)")
    private String device;

    @Option(names = "--fq-size", paramLabel = "N",
            description = "flush-queue entries, a power of 2, for the policies that queue (default: the policy's);"
                    + " the others replay as they are")
    private Integer fqSize;

    @Option(names = "--fq-timeout-ms", paramLabel = "N",
            description = "flush-queue timeout in ms, for the policies that queue (default: the policy's)")
    private Integer fqTimeoutMs;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs of the replay; the capture's CPU n runs on n mod N (default: ${DEFAULT-VALUE})")
    private int cpus;

    @Mixin
    private CostOptions costs;

    @Mixin
    private FaultOptions faults;

    @Mixin
    private ReportOptions reports = new ReportOptions();

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "output format (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Override
    public Integer call() throws InterruptedException {
        reports.refuseExisting();
        MachineOptions.checkQueueSettings(fqSize, fqTimeoutMs);
        if (format == OutputFormat.csv && policies.isEmpty()) {
            throw new IllegalArgumentException("--format csv has one row per replay; give --dma POLICY,... (or use table or json)");
        }
        CaptureCheck.Report report;
        try (InputStream in = Files.newInputStream(trace)) {
            report = CaptureCheck.read(in, trace.toString(), strict);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(trace + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(trace + " cannot be read: " + e.getMessage());
        }
        List<Scenario> scenarios = scenarios(report);
        List<RunStats> results = Runs.all("replay", scenarios);
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.csv) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("device", scenarios.get(i).workload().deviceName());
                row.put("policy", scenarios.get(i).dma().name());
                row.putAll(OutputFormat.csvRow(results.get(i).toMap()));
                rows.add(row);
            }
            out.print(CsvRenderer.render(rows));
        } else if (format == OutputFormat.json) {
            Map<String, Object> json = json(report);
            List<Map<String, Object>> replays = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("policy", scenarios.get(i).dma().name());
                entry.put("notes", results.get(i).workloadNotes());
                entry.putAll(results.get(i).toMap());
                replays.add(entry);
            }
            json.put("replay", replays);
            out.print(OutputFormat.json(json));
        } else {
            out.print(table(report));
            for (int from = 0; from < results.size(); from += policies.size()) {
                List<Scenario> device = scenarios.subList(from, from + policies.size());
                List<RunStats> runs = results.subList(from, from + policies.size());
                out.print("\nreplay of " + device.get(0).workload().deviceName() + " (" + runs.get(0).io().completed()
                        + " maps and unmaps):\n");
                out.print(ReproduceTable.render(device, runs.stream().map(r -> RepeatedRuns.of(List.of(r))).toList(), null));
                for (int i = 0; i < runs.size(); i++) {
                    for (String note : runs.get(i).workloadNotes()) {
                        out.println(device.get(i).dma().name() + ": " + note);
                    }
                }
            }
        }
        out.flush();
        if (reports.wanted()) {
            reports.write(Reports.replay(trace.toString(), report, scenarios, results));
        }
        RunCommand.warn(spec.commandLine().getErr(), "replay", results);
        return 0;
    }

    /** One run per policy asked for, replaying the chosen device over the capture's span. */
    private List<Scenario> scenarios(CaptureCheck.Report report) {
        if (policies.isEmpty()) {
            return List.of();
        }
        Map<String, DmaApiChecks.DeviceSpan> spans = report.spans();
        // the IOMMU stream repeats the dma:* devices' traffic one level down: replayed only where it is all there is
        List<Map.Entry<String, DmaApiChecks.DeviceSpan>> replayable = spans.entrySet().stream()
                .filter(e -> e.getValue().events() > 0).toList();
        List<Map.Entry<String, DmaApiChecks.DeviceSpan>> devices = replayable.stream()
                .filter(e -> !e.getKey().equals(TraceEvent.IOMMU_STREAM)).toList();
        List<Map.Entry<String, DmaApiChecks.DeviceSpan>> candidates = devices.isEmpty() ? replayable : devices;
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException(trace + " has no dma:* or iommu: map or unmap event to replay");
        }
        List<String> chosen;
        if ("all".equals(device)) {
            chosen = candidates.stream().map(Map.Entry::getKey).toList();
        } else {
            chosen = List.of(device != null ? device : candidates.stream()
                    .max(java.util.Comparator.comparingLong(e -> e.getValue().events())).orElseThrow().getKey());
        }
        List<Scenario> out = new ArrayList<>();
        for (String name : chosen) {
            DmaApiChecks.DeviceSpan span = spans.get(name);
            if (span == null) {
                throw new IllegalArgumentException("--device " + name + " has no map or unmap in " + trace + "; it has "
                        + String.join(", ", spans.keySet()) + ", or give all");
            }
            long durationMs = (span.lastNs() - span.firstNs()) / 1_000_000 + 1;
            WorkloadSpec workload = new WorkloadSpec.ReplaySpec(new ReplayOptions(trace.toString(), name));
            for (InvalidationPolicy p : policies) {
                // the queue settings go to the policies that queue; strict beside them keeps its own
                boolean queues = p.takesQueueSettings() || policies.stream().noneMatch(InvalidationPolicy::takesQueueSettings);
                out.add(new Scenario(platform, null, Scenario.DEFAULT_GUEST_MEMORY_GIB, p,
                        queues && fqSize != null ? fqSize : 0, queues && fqTimeoutMs != null ? fqTimeoutMs : 0, workload,
                        cpus, durationMs, 1, costs.overrides()).withFaults(faults.faults()));
            }
        }
        return out;
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
