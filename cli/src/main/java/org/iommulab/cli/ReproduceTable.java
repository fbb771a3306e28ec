package org.iommulab.cli;

import java.util.List;
import java.util.Locale;
import org.iommulab.lab.Scenario;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.report.Units;
import org.iommulab.stats.Interval;
import org.iommulab.stats.LimitedBy;
import org.iommulab.stats.RepeatedRuns;
import org.iommulab.stats.RunStats;

/**
 * The reproduce table: per platform, one line per DMA mode, the figures the series argued with.
 * Over several seeds each figure is the mean, and throughput carries its 95% interval.
 */
final class ReproduceTable {

    /** The columns after the policy's name, whose width fits the longest name (at least 12). */
    private static final String COLUMNS = " %10s%s %7s%s %9s %9s %9s %9s %9s %12s %12s %12s %8s  %s%n";

    private ReproduceTable() {}

    /** @param relativeTo the policy of an extra "vs" column, or null for none */
    static String render(List<Scenario> scenarios, List<RepeatedRuns> results, InvalidationPolicy relativeTo) {
        StringBuilder sb = new StringBuilder();
        boolean repeated = results.get(0).runs().size() > 1;
        int[] legacy = ReproduceCommand.baselineRuns(scenarios, Policies.LEGACY);
        int[] base = relativeTo == null ? null : ReproduceCommand.baselineRuns(scenarios, relativeTo);
        int width = Math.max(12, scenarios.stream().mapToInt(x -> x.dma().name().length()).max().orElse(0));
        String row = "%-" + width + "s" + COLUMNS;
        for (int i = 0; i < results.size(); i++) {
            Scenario s = scenarios.get(i);
            RepeatedRuns r = results.get(i);
            RunStats first = r.runs().get(0);
            if (i == 0 || !ReproduceCommand.sameMachine(scenarios.get(i - 1), s)) {
                Object profile = first.config().get("hvProfile");
                sb.append(i == 0 ? "" : "\n").append("== ").append(s.platform().cliName())
                        .append(profile == null ? "" : " (" + profile + ")").append(" ==\n");
                sb.append(String.format(Locale.ROOT, row, "mode", "IOPS", repeated ? String.format("%10s", "+/-95%") : "",
                        "vs old", base == null ? "" : String.format(Locale.ROOT, " %9s", "vs " + relativeTo.name()), "cpu/IO", "Global", "SyncMap", "Sync", "hv exits", "stale p50", "stale p99",
                        "stale max", "peak pg", "limited by"));
            }
            double iops = r.mean("throughput.iops");
            sb.append(String.format(Locale.ROOT, row, s.dma().name(),
                    Units.count(Math.round(iops)),
                    repeated ? String.format("%10s", "+/-" + Units.count(Math.round(r.summary().get("throughput.iops").halfWidth()))) : "",
                    versus(iops, legacy[i], results),
                    base == null ? "" : String.format(Locale.ROOT, " %9s", versus(iops, base[i], results)),
                    Units.duration(r.mean("cpu.perIoNs")),
                    round(r, "rpcit.global"), round(r, "rpcit.syncMap"), round(r, "rpcit.sync"),
                    round(r, "hypervisor.exits"),
                    stale(r, "staleWindowNs.p50"), stale(r, "staleWindowNs.p99"), stale(r, "staleWindowNs.max"),
                    round(r, "staleWindowPeakPages"), limit(r)));
        }
        sb.append("\nIOPS over the run's virtual time; cpu/IO = all CPU busy time per completed I/O; Global, SyncMap, Sync = the s390\n"
                + "RPCIT counters; stale = time from unmap until the device can no longer reach the page (>= : pages still\n"
                + "reachable at the end count at their age then, so the true window is longer); peak pg = most pages\n"
                + "reachable after unmap at once; limited by = the resource busy most of the run (a device queue, a\n"
                + "lock, the hypervisor's global lock, the busiest CPU) or latency when none was.\n"
                + (repeated ? "Each figure is the mean over " + results.get(0).runs().size()
                        + " seeds; +/-95% = half the 95% confidence interval of the mean IOPS.\n" : "")
                + "'iommu-lab run --format json' gives every metric of one run.\n");
        return sb.toString();
    }

    /** IOPS as a ratio to the baseline run at {@code baseline}, or "-" where the machine has none. */
    private static String versus(double iops, int baseline, List<RepeatedRuns> results) {
        return baseline < 0 ? "-"
                : String.format(Locale.ROOT, "%.2fx", ReproduceCommand.ratio(iops, results.get(baseline).mean("throughput.iops")));
    }

    private static long round(RepeatedRuns r, String metric) {
        return Math.round(r.mean(metric));
    }

    /** The first run's limit, with the mean busy share of that resource's role over the runs. */
    private static String limit(RepeatedRuns r) {
        LimitedBy l = r.runs().get(0).limitedBy();
        return l.resource().equals(LimitedBy.LATENCY) ? LimitedBy.LATENCY
                : String.format(Locale.ROOT, "%s %.0f%%", l.resource(), 100 * r.mean("limitedBy.busyFraction"));
    }

    /** A stale-window figure: ">= " when windows were still open at the end, "-" when nothing was unmapped. */
    private static String stale(RepeatedRuns r, String metric) {
        Interval i = r.summary().get(metric);
        if (i == null) {
            return "-";
        }
        return (r.staleLowerBound() ? ">= " : "") + Units.duration(i.mean());
    }
}
