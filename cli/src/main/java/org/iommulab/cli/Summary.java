package org.iommulab.cli;

import java.util.List;
import java.util.Locale;
import org.iommulab.lab.Scenario;
import org.iommulab.report.Units;
import org.iommulab.stats.LimitedBy;
import org.iommulab.stats.RunStats;

/** The reproduce table: per platform, one line per DMA mode, the figures the series argued with. */
final class Summary {

    private static final String ROW = "%-14s %10s %7s %9s %9s %9s %9s %9s %12s %12s %12s %8s  %s%n";

    private Summary() {}

    static String render(List<Scenario> scenarios, List<RunStats> results) {
        StringBuilder sb = new StringBuilder();
        RunStats legacy = null;
        for (int i = 0; i < results.size(); i++) {
            Scenario s = scenarios.get(i);
            RunStats r = results.get(i);
            if (i % ReproduceCommand.MODES.size() == 0) {
                legacy = r;
                Object profile = r.config().get("hvProfile");
                sb.append(i == 0 ? "" : "\n").append("== ").append(s.platform().cliName())
                        .append(profile == null ? "" : " (" + profile + ")").append(" ==\n");
                sb.append(String.format(Locale.ROOT, ROW, "mode", "IOPS", "vs old", "cpu/IO", "Global", "SyncMap", "Sync",
                        "hv exits", "stale p50", "stale p99", "stale max", "peak pg", "limited by"));
            }
            sb.append(String.format(Locale.ROOT, ROW, s.dma().cliName(),
                    Units.count(r.throughput().iops()),
                    String.format(Locale.ROOT, "%.2fx", ReproduceCommand.ratio(r.throughput().iops(), legacy.throughput().iops())),
                    Units.duration(cpuNsPerIo(r)),
                    r.rpcit().global(), r.rpcit().syncMap(), r.rpcit().sync(), r.hypervisor().exits(),
                    stale(r, r.staleWindow().p50Ns()), stale(r, r.staleWindow().p99Ns()), stale(r, r.staleWindow().maxNs()),
                    r.staleWindow().peakPages(), limit(r)));
        }
        sb.append("\nIOPS over the run's virtual time; cpu/IO = all CPU busy time per completed I/O; Global, SyncMap, Sync = the s390\n"
                + "RPCIT counters; stale = time from unmap until the device can no longer reach the page (>= : pages still\n"
                + "reachable at the end count at their age then, so the true window is longer); peak pg = most pages\n"
                + "reachable after unmap at once; limited by = the resource busy most of the run (a device queue, a\n"
                + "lock, the hypervisor's global lock, the busiest CPU) or latency when none was.\n"
                + "'iommu-lab run --format json' gives every metric of one run.\n");
        return sb.toString();
    }

    static double cpuNsPerIo(RunStats r) {
        return r.io().completed() == 0 ? 0 : (double) r.cpu().busyNs() / r.io().completed();
    }

    private static String limit(RunStats r) {
        return r.limitedBy().resource().equals(LimitedBy.LATENCY) ? LimitedBy.LATENCY
                : String.format(Locale.ROOT, "%s %.0f%%", r.limitedBy().resource(), 100 * r.limitedBy().busyFraction());
    }

    /** A stale-window figure: ">= " when windows were still open at the end, "-" when nothing was unmapped. */
    private static String stale(RunStats r, Long ns) {
        if (ns == null) {
            return "-";
        }
        return (r.staleWindow().lowerBound() ? ">= " : "") + Units.duration(ns);
    }
}
