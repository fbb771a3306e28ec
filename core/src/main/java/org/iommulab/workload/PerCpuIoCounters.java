package org.iommulab.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A workload's {@link IoCounters}, one per CPU that submits, as a driver keeps per-CPU statistics:
 * on real threads no two CPUs write the same counters; a snapshot adds them up.
 */
final class PerCpuIoCounters {

    private final Map<Integer, IoCounters> byCpu = new HashMap<>();

    /** CPU {@code cpu}'s counters; call while setting up, before the workload runs. */
    IoCounters on(int cpu) {
        return byCpu.computeIfAbsent(cpu, c -> new IoCounters());
    }

    /** The sum over the CPUs, with the identity checked (see {@link IoCounters#snapshot}). */
    IoResult snapshot(long inFlight) {
        IoCounters total = new IoCounters();
        new TreeMap<>(byCpu).values().forEach(c -> c.addTo(total));
        return total.snapshot(inFlight);
    }
}
