package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import org.iommulab.fault.Faults;
import org.iommulab.lab.Scenario;
import org.iommulab.platform.PlatformKind;
import org.iommulab.platform.shadow.HypervisorProfile;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.report.CsvRenderer;
import org.iommulab.stats.RepeatedRuns;
import org.iommulab.stats.RunStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab reproduce}: the series' own experiment on built-in defaults. On LPAR, z/VM and
 * KVM (default QEMU profile) it runs the default NVMe fio workload under the old s390 scheme,
 * strict, per-CPU queues and the single queue, and prints each mode's throughput relative to the
 * old scheme, its RPCITs, its stale window and what limited it. Runs are independent and
 * deterministic, so they run on all cores at once.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The s390 DMA API conversion's experiment: LPAR, z/VM and KVM x legacy, strict, "
                + "lazy-percpu and lazy-single, default fio workload.")
final class ReproduceCommand implements Callable<Integer> {

    static final List<PlatformKind> PLATFORMS = List.of(PlatformKind.LPAR, PlatformKind.ZVM, PlatformKind.KVM);
    static final List<InvalidationPolicy> MODES = List.of(Policies.LEGACY, Policies.STRICT, Policies.LAZY_PERCPU, Policies.LAZY_SINGLE);

    @Spec
    private CommandSpec spec;

    @Option(names = "--platform", split = ",", paramLabel = "lpar,zvm,kvm", converter = PlatformNames.class,
            description = "which of the platforms to run (default: all three; with --extended also virtio, x86)")
    private List<PlatformKind> platforms = new ArrayList<>();

    @Option(names = "--extended", description = "every registered policy (see 'iommu-lab policies') on every platform"
            + " it runs on, KVM under each QEMU profile, virtio and x86 too")
    private boolean extended;

    @Option(names = "--relative-to", paramLabel = "POLICY", converter = PolicyNames.class,
            description = "also give every run's IOPS and CPU per I/O as ratios to this policy's run on the same"
                    + " machine (added where missing), e.g. direct for the no-translation baseline")
    private InvalidationPolicy relativeTo;

    @Mixin
    private CostOptions costs;

    @Mixin
    private FaultOptions faults;

    @Mixin
    private RunOptions run;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
            description = "output format (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() throws InterruptedException {
        report.refuseExisting();
        List<Scenario> scenarios = scenarios();
        List<Scenario> runs = new ArrayList<>();
        for (Scenario s : scenarios) {
            runs.addAll(run.seeds(s));
        }
        int repeat = run.repeat;
        List<RunStats> results = Runs.all("reproduce", runs);
        List<RepeatedRuns> grouped = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            grouped.add(RepeatedRuns.of(results.subList(i * repeat, (i + 1) * repeat)));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(scenarios, grouped, repeat));
        out.flush();
        if (report.wanted()) {
            report.write(Reports.reproduce(scenarios, grouped.stream().map(g -> g.runs().get(0)).toList()));
        }
        RunCommand.warn(spec.commandLine().getErr(), "reproduce", results);
        return 0;
    }

    private String render(List<Scenario> scenarios, List<RepeatedRuns> grouped, int repeat) {
        if (format == OutputFormat.table) {
            return ReproduceTable.render(scenarios, grouped, relativeTo);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        int[] legacy = baselineRuns(scenarios, Policies.LEGACY);
        int[] base = relativeTo == null ? null : baselineRuns(scenarios, relativeTo);
        for (int i = 0; i < grouped.size(); i++) {
            RepeatedRuns r = grouped.get(i);
            Map<String, Object> entry = new LinkedHashMap<>();
            if (repeat > 1) {
                entry.put("platform", scenarios.get(i).platform().cliName());
                entry.put("dma", scenarios.get(i).dma().name());
            }
            entry.putAll(repeat == 1 ? r.runs().get(0).toMap() : r.toMap());
            if (legacy[i] >= 0) {
                entry.put("relativeToLegacy", relative(r, grouped.get(legacy[i])));
            }
            if (base != null && base[i] >= 0) {
                Map<String, Object> ratios = new LinkedHashMap<>();
                ratios.put("policy", relativeTo.name());
                ratios.putAll(relative(r, grouped.get(base[i])));
                entry.put("relativeTo", ratios);
            }
            out.add(entry);
            titles.add(scenarios.get(i).platform().cliName() + " " + scenarios.get(i).dma().name());
        }
        if (repeat == 1 || format == OutputFormat.json) {
            return format.render(titles, out);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < grouped.size(); i++) {
            rows.addAll(RepeatReport.csvRows(titles.get(i), grouped.get(i)));
        }
        return CsvRenderer.render(rows);
    }

    /**
     * The platforms x policies asked for, everything else the series' defaults: the series' four
     * schemes on its three platforms, or with {@code --extended} every registered policy on every
     * platform it runs on, KVM once per QEMU profile.
     */
    private List<Scenario> scenarios() {
        List<PlatformKind> offered = extended ? List.of(PlatformKind.values()) : PLATFORMS;
        String names = offered.stream().map(PlatformKind::cliName).collect(Collectors.joining(", "));
        Set<PlatformKind> chosen = new LinkedHashSet<>();
        if (platforms.isEmpty() && spec.commandLine().getParseResult().hasMatchedOption("--platform")) {
            throw new IllegalArgumentException("--platform names no platform; give some of " + names);
        }
        for (PlatformKind p : platforms) {
            if (!offered.contains(p)) {
                throw new IllegalArgumentException("--platform " + p.cliName() + " is not one of " + names
                        + (extended ? "" : "; --extended adds virtio and x86"));
            }
            chosen.add(p);
        }
        List<Scenario> out = new ArrayList<>();
        Map<String, Long> overrides = costs.overrides();
        Faults injected = faults.faults();
        for (PlatformKind p : offered) {
            if (!chosen.isEmpty() && !chosen.contains(p)) {
                continue;
            }
            List<String> profiles = new ArrayList<>();
            profiles.add(null);
            if (extended && p == PlatformKind.KVM) {
                profiles = HypervisorProfile.all().stream().filter(h -> h != HypervisorProfile.ZVM)
                        .map(HypervisorProfile::name).toList();
            }
            List<InvalidationPolicy> policies = new ArrayList<>(extended ? Policies.concrete() : MODES);
            if (relativeTo != null && !policies.contains(relativeTo)) {
                policies.add(relativeTo);
            }
            for (String profile : profiles) {
                for (InvalidationPolicy m : policies) {
                    if (!m.runsOn(p)) {
                        continue;
                    }
                    Scenario d = Scenario.defaults(p, m);
                    out.add(new Scenario(p, profile, d.guestMemoryGiB(), m, 0, 0, d.workload(), run.cpus, run.durationMs,
                            run.seed, overrides).withFaults(injected));
                }
            }
        }
        return out;
    }

    /**
     * For each scenario, the index of {@code policy}'s run on the same machine (platform and
     * hypervisor profile), or -1 where the machine has none: the old scheme for "vs old", or the
     * policy of {@code --relative-to}.
     */
    static int[] baselineRuns(List<Scenario> scenarios, InvalidationPolicy policy) {
        int[] out = new int[scenarios.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = -1;
            for (int j = 0; j < out.length; j++) {
                if (sameMachine(scenarios.get(i), scenarios.get(j)) && scenarios.get(j).dma() == policy) {
                    out[i] = j;
                }
            }
        }
        return out;
    }

    /** Whether two scenarios run on the same platform under the same hypervisor profile. */
    static boolean sameMachine(Scenario a, Scenario b) {
        return a.platform() == b.platform() && Objects.equals(a.hvProfile(), b.hvProfile());
    }

    /** Throughput and CPU per I/O as ratios of means to the same machine's baseline runs. */
    private static Map<String, Object> relative(RepeatedRuns run, RepeatedRuns legacy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("iops", ratio(run.mean("throughput.iops"), legacy.mean("throughput.iops")));
        out.put("bytesPerSec", ratio(run.mean("throughput.bytesPerSec"), legacy.mean("throughput.bytesPerSec")));
        out.put("cpuNsPerIo", ratio(run.mean("cpu.perIoNs"), legacy.mean("cpu.perIoNs")));
        return out;
    }

    static double ratio(double a, double b) {
        return b == 0 ? 0 : Math.round(a / b * 1000) / 1000.0;
    }
}
