package org.iommulab.stats;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.virtual.VirtualResourceStats;

/**
 * What bounded a run's throughput, read from its own counters: the busiest serial resource (a
 * device queue, a lock, the hypervisor's global lock) when it was busy most of the run, else the
 * busiest CPU when it was, else nothing saturated and the I/Os in flight over their latency set the
 * pace. A saturated resource is named before busy CPUs because CPUs spinning on it are busy
 * because of it.
 *
 * @param resource the resource's name, {@code cpu} or {@code latency}
 * @param busyFraction the share of the run's virtual time it was busy (for {@code latency}, that of
 *     the busiest resource or the CPUs)
 * @param detail one line saying why, for people
 */
public record LimitedBy(String resource, double busyFraction, String detail) {

    /** Busy for at least this share of the run, a resource is taken to bound it. */
    public static final double SATURATED = 0.8;

    public static final String CPU = "cpu";
    public static final String LATENCY = "latency";

    public static LimitedBy of(List<VirtualResourceStats> resources, CpuTime cpu, long virtualNs) {
        if (virtualNs <= 0) {
            return new LimitedBy(LATENCY, 0, "no virtual time passed");
        }
        VirtualResourceStats busiest = resources.stream()
                .max(Comparator.comparingLong(VirtualResourceStats::busyNs)).orElse(null);
        // an event runs to its end, so the last one may end a little after the run: cap at 1
        double resourceBusy = busiest == null ? 0 : Math.min(1, (double) busiest.busyNs() / virtualNs);
        double cpuBusy = Math.min(1, cpu.busiestCpuUtilisation(virtualNs));
        if (busiest != null && resourceBusy >= SATURATED) {
            return new LimitedBy(busiest.name(), resourceBusy, String.format(Locale.ROOT,
                    "%s busy %s of the run; %d of %d uses waited for it, %s ms in all",
                    busiest.name(), percent(resourceBusy), busiest.contended(), busiest.acquisitions(),
                    millis(busiest.waitNs())));
        }
        if (cpuBusy >= SATURATED) {
            Map.Entry<CostCategory, Long> top = cpu.byCategoryNs().entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow();
            return new LimitedBy(CPU, cpuBusy, String.format(Locale.ROOT,
                    "the busiest CPU busy %s of the run (all CPUs %s), most of it in %s (%s of their busy time)",
                    percent(cpuBusy), percent(cpu.utilisation(virtualNs)),
                    CpuTime.key(top.getKey()), percent((double) top.getValue() / Math.max(1, cpu.busyNs()))));
        }
        String busiestText = busiest == null ? "" : busiest.name() + " " + percent(resourceBusy) + ", ";
        return new LimitedBy(LATENCY, Math.max(resourceBusy, cpuBusy), String.format(Locale.ROOT,
                "nothing busy %s of the run (busiest: %sbusiest CPU %s): I/Os in flight over their latency set the pace",
                percent(SATURATED), busiestText, percent(cpuBusy)));
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    private static String millis(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e6);
    }
}
