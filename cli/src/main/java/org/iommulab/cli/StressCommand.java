package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import org.iommulab.nativebench.StressResult;
import org.iommulab.nativebench.StressRun;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab stress}: randomized map/unmap traffic on real threads against every platform
 * and DMA mode asked for, with the safety invariants checked as it runs. Exit 0 when no violation
 * was found, 1 with the first violations otherwise.
 */
@Command(name = "stress", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Randomized native stress of every platform and DMA mode with the safety invariants checked"
                + " continuously; exit 1 on a violation.")
final class StressCommand implements Callable<Integer> {

    static final int MAX_SECONDS = 3600;

    @Spec
    private CommandSpec spec;

    @Option(names = "--threads", defaultValue = "8", paramLabel = "N", description = "threads, 1-1024 (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "N",
            description = "run time over all pairs, 1-3600 (default: ${DEFAULT-VALUE})")
    private int seconds;

    @Option(names = "--ms", paramLabel = "MS", description = "run time in ms instead of --seconds, for short runs")
    private Integer ms;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--platform", defaultValue = "all", paramLabel = "all|lpar,zvm,kvm,virtio,x86,x86-cm,smmuv3",
            description = "platforms, comma-separated (default: ${DEFAULT-VALUE})")
    private String platforms;

    @Option(names = "--dma", defaultValue = "all", paramLabel = "all|POLICY[,POLICY...]",
            description = "invalidation policies, comma-separated, of the registered ones but auto; each runs on the "
                    + "platforms it exists on, see 'iommu-lab policies' (default: ${DEFAULT-VALUE})")
    private String modes;

    @Mixin
    private FaultOptions faults;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table: one line per platform and mode; json: an array of the same, always (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads " + threads + " is not in 1-1024");
        }
        if (ms == null && (seconds < 1 || seconds > MAX_SECONDS)) {
            throw new IllegalArgumentException("--seconds " + seconds + " is not in 1-" + MAX_SECONDS);
        }
        if (ms != null && (ms < 1 || ms > MAX_SECONDS * 1000)) {
            throw new IllegalArgumentException("--ms " + ms + " is not in 1-" + MAX_SECONDS * 1000);
        }
        if (format == OutputFormat.csv) {
            throw new IllegalArgumentException("--format csv is not offered by stress; use table or json");
        }
        List<PlatformKind> p = list(platforms, Arrays.asList(PlatformKind.values()), PlatformKind::parse);
        List<InvalidationPolicy> m = list(modes, Policies.translating(), StressCommand::mode);
        StressRun.Options options = new StressRun.Options(threads, ms != null ? ms : seconds * 1000L, seed, p, m,
                faults.faults());
        List<StressResult> results;
        try (ProgressBar bar = Runs.progress("stress", (long) p.size() * m.size())) {
            results = StressRun.run(options, (done, total) -> {
                if (bar != null) {
                    bar.maxHint(total);
                    bar.stepTo(done);
                }
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.print(OutputFormat.json(results.stream().map(StressCommand::toMap).toList()));
        } else {
            out.print(render(results));
        }
        out.flush();
        return results.stream().anyMatch(r -> r.violations() > 0) ? 1 : 0;
    }

    private static InvalidationPolicy mode(String name) {
        InvalidationPolicy m = Policies.byName(name);
        if (!Policies.concrete().contains(m)) {
            throw new IllegalArgumentException("DMA mode '" + name + "' stands for the kernel's choice, not a policy of its own; name the policies to stress");
        }
        if (!m.translates()) {
            throw new IllegalArgumentException("DMA mode '" + name + "' does not translate, so there is no isolation to"
                    + " stress; name one of " + Policies.names(Policies.translating()));
        }
        return m;
    }

    private static <T> List<T> list(String names, List<T> all, Function<String, T> parse) {
        if (names.equals("all")) {
            return all;
        }
        java.util.Set<T> out = new java.util.LinkedHashSet<>();
        for (String n : names.split(",", -1)) {
            out.add(parse.apply(n.strip()));
        }
        return new ArrayList<>(out);
    }

    static String render(List<StressResult> results) {
        StringBuilder sb = new StringBuilder();
        for (StressResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-20s maps:%d sg-maps:%d unmaps:%d map-errors:%d stale-checks:%d"
                            + " unchecked:%d  %d violations%n", r.name(), r.maps(), r.sgMaps(), r.unmaps(),
                    r.mapErrors().values().stream().mapToLong(Long::longValue).sum(), r.staleChecks(),
                    r.uncheckedUnmaps(), r.violations()));
            if (!r.faultsInjected().isEmpty()) {
                sb.append("    injected: ").append(r.faultsInjected().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
                        .append("; live pages the platform's refusals left wrong: ")
                        .append(r.refusalHits()).append('\n');
            }
            for (String v : r.firstViolations()) {
                sb.append("    ").append(v).append('\n');
            }
        }
        return sb.toString();
    }

    static Map<String, Object> toMap(StressResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        int space = r.name().indexOf(' ');
        out.put("platform", r.name().substring(0, space));
        out.put("dma", r.name().substring(space + 1));
        out.put("maps", r.maps());
        out.put("sgMaps", r.sgMaps());
        out.put("unmaps", r.unmaps());
        out.put("mapErrors", r.mapErrors());
        out.put("staleChecks", r.staleChecks());
        out.put("uncheckedUnmaps", r.uncheckedUnmaps());
        out.put("violations", r.violations());
        out.put("firstViolations", r.firstViolations());
        out.put("refusalHits", r.refusalHits());
        out.put("faultsInjected", r.faultsInjected());
        out.put("elapsedMs", r.elapsedNs() / 1_000_000);
        return out;
    }
}
