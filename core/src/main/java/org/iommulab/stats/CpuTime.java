package org.iommulab.stats;

import java.util.EnumMap;
import java.util.Map;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.virtual.VirtualEngine;

/**
 * Where the CPUs' busy time went, summed over all CPUs, per {@link CostCategory} (driver, DMA
 * layer, IOVA, page tables, flush, lock wait, hypervisor, device).
 *
 * @param nrCpus simulated CPUs
 * @param busyNs busy time of all CPUs, the sum of {@code byCategoryNs}
 * @param busiestCpuNs busy time of the busiest CPU: a workload on fewer CPUs than the machine has
 *     can be CPU-bound while most CPUs idle
 * @param byCategoryNs busy time per category, every category present
 */
public record CpuTime(int nrCpus, long busyNs, long busiestCpuNs, Map<CostCategory, Long> byCategoryNs) {

    public CpuTime {
        byCategoryNs = Map.copyOf(byCategoryNs);
        long sum = 0;
        for (CostCategory c : CostCategory.values()) {
            Long ns = byCategoryNs.get(c);
            if (ns == null) {
                throw new IllegalArgumentException("cpu time lacks category " + c + "; every category is needed");
            }
            sum += ns;
        }
        if (busiestCpuNs < 0 || busiestCpuNs > busyNs) {
            throw new IllegalArgumentException("busiest CPU's " + busiestCpuNs + " ns is not within 0.." + busyNs);
        }
        if (sum != busyNs) {
            throw new IllegalArgumentException("cpu busy " + busyNs + " ns is not the sum of its categories, " + sum);
        }
    }

    /** The busy time {@code engine}'s CPUs have booked so far. */
    public static CpuTime from(VirtualEngine engine) {
        Map<CostCategory, Long> by = new EnumMap<>(CostCategory.class);
        for (CostCategory c : CostCategory.values()) {
            by.put(c, engine.busyNs(c));
        }
        long busiest = 0;
        for (int i = 0; i < engine.nrCpus(); i++) {
            busiest = Math.max(busiest, engine.cpu(i).busyNs());
        }
        return new CpuTime(engine.nrCpus(), engine.busyNs(), busiest, by);
    }

    /** Busy time as a share of all CPUs over {@code durationNs}, 0 to 1. */
    public double utilisation(long durationNs) {
        return durationNs <= 0 ? 0 : (double) busyNs / ((double) nrCpus * durationNs);
    }

    /** The busiest CPU's busy time as a share of {@code durationNs}, 0 to 1. */
    public double busiestCpuUtilisation(long durationNs) {
        return durationNs <= 0 ? 0 : (double) busiestCpuNs / durationNs;
    }

    /** The JSON key of a category: its name in lower camel case ({@code LOCK_WAIT} is {@code lockWait}). */
    static String key(CostCategory c) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : c.name().toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                sb.append(upper ? ch : Character.toLowerCase(ch));
                upper = false;
            }
        }
        return sb.toString();
    }

    Map<String, Object> toMap(long durationNs) {
        JsonMap by = new JsonMap();
        for (CostCategory c : CostCategory.values()) {
            by.put(key(c), byCategoryNs.get(c));
        }
        return new JsonMap()
                .put("nrCpus", nrCpus)
                .put("busyNs", busyNs)
                .put("utilisation", utilisation(durationNs))
                .put("busiestCpuUtilisation", busiestCpuUtilisation(durationNs))
                .put("byCategoryNs", by.map())
                .map();
    }
}
