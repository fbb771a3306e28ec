package org.iommulab.sim.virtual;

import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;

/**
 * A simulated CPU of a {@link VirtualEngine}: its own clock, moved forward by the work it does
 * ({@link #spend}), by waiting on busy resources, and by the engine when it hands an idle CPU an
 * event. Every nanosecond it is busy is booked to one {@link CostCategory}, so the categories
 * always add up to {@link #busyNs()}.
 */
public final class VirtualCpu implements Cpu {

    private final int id;
    private final CostModel costs;
    private final long[] busyNs = new long[CostCategory.values().length];
    private long clockNs;
    private long totalBusyNs;

    VirtualCpu(int id, CostModel costs) {
        this.id = id;
        this.costs = costs;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long nowNs() {
        return clockNs;
    }

    @Override
    public void spend(Cost cost, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " of " + cost + " is negative; must be >= 0");
        }
        book(cost.category(), costs.ns(cost) * count);
    }

    /** Nanoseconds this CPU was busy with work of {@code category}. */
    public long busyNs(CostCategory category) {
        return busyNs[category.ordinal()];
    }

    /** Nanoseconds this CPU was busy, all categories together. */
    public long busyNs() {
        return totalBusyNs;
    }

    /** Waits (busy, as a spinning CPU does) until {@code untilNs}; returns the ns waited. */
    long waitUntil(long untilNs, CostCategory category) {
        long waited = untilNs - clockNs;
        if (waited <= 0) {
            return 0;
        }
        book(category, waited);
        return waited;
    }

    /** An idle CPU picks up work at {@code timeNs}: the clock jumps there, nothing is booked. */
    void idleUntil(long timeNs) {
        if (timeNs > clockNs) {
            clockNs = timeNs;
        }
    }

    private void book(CostCategory category, long ns) {
        clockNs += ns;
        busyNs[category.ordinal()] += ns;
        totalBusyNs += ns;
    }

    @Override
    public String toString() {
        return "cpu" + id;
    }
}
