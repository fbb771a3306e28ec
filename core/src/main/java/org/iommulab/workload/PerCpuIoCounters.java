package org.iommulab.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.iommulab.sim.Scheduler;

/**
 * A workload's {@link IoCounters}, one per CPU that submits, as a driver keeps per-CPU statistics:
 * on real threads no two CPUs write the same counters; a snapshot adds them up. In virtual time
 * one CPU runs at a time, so all share one set: a latency histogram per CPU is about 100 KiB, which
 * at 144 CPUs was a quarter of a run's memory, and the sum is the same either way.
 */
final class PerCpuIoCounters {

    private final Map<Integer, IoCounters> byCpu = new HashMap<>();

    /** CPU {@code cpu}'s counters on {@code engine}; call while setting up, before the workload runs. */
    IoCounters on(Scheduler engine, int cpu) {
        return byCpu.computeIfAbsent(engine.virtualTime() ? 0 : cpu, c -> new IoCounters());
    }

    /** Submitted and not yet ended, over the CPUs. */
    long inFlight() {
        long sum = 0;
        for (IoCounters c : byCpu.values()) {
            sum += c.inFlight();
        }
        return sum;
    }

    /** The sum over the CPUs, with the identity checked (see {@link IoCounters#snapshot}). */
    IoResult snapshot(long inFlight) {
        IoCounters total = new IoCounters();
        new TreeMap<>(byCpu).values().forEach(c -> c.addTo(total));
        return total.snapshot(inFlight);
    }
}
