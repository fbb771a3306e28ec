package org.iommulab.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iommulab.sim.virtual.VirtualResourceStats;

/**
 * Everything one run reports, as plain values. {@link #toMap()}
 * gives the nested, insertion-ordered structure the JSON output and the report renderers use; its
 * keys are the documented ones ({@code io.submitted}, {@code throughput.iops},
 * {@code staleWindowNs.p99}, ...). Nothing here depends on a JSON library.
 *
 * @param config the run's configuration as given (values: strings, numbers, booleans, maps)
 * @param faults the failures injected, and what DMA-API debugging found under them
 * @param metrics the counters the platform's layers published ({@link org.iommulab.sim.Metrics}),
 *     by name: what only that platform has, such as SMMUv3 commands or VT-d descriptors
 * @param locks every lock's and serial resource's counters, in creation order
 * @param warnings one line each for what a user must not miss: failed I/Os and why, nothing
 *     completed, a cost override nothing read
 * @param limitedBy what bounded the throughput
 * @param virtualTimeNs simulated time the run covered; rates are per second of it
 * @param wallTimeMs wall-clock time the simulation took (the one field that differs between
 *     identical runs)
 * @param timeline invalidations and pages reachable after unmap over the run, for a report's
 *     chart; not part of the JSON
 * @param workloadNotes what only the workload can tell (a replay: whether each access after unmap
 *     in the capture would have reached its page); not part of the JSON, whose keys every run shares
 */
public record RunStats(
        Map<String, Object> config,
        IoCounts io,
        Throughput throughput,
        CpuTime cpu,
        RpcitCounts rpcit,
        PageCounts pages,
        FlushQueueCounts flushQueue,
        StaleWindow staleWindow,
        HypervisorCounts hypervisor,
        DeviceCounts device,
        MemoryUse memory,
        FaultCounts faults,
        Map<String, Long> metrics,
        List<VirtualResourceStats> locks,
        List<String> warnings,
        LimitedBy limitedBy,
        long virtualTimeNs,
        long wallTimeMs,
        Timeline.Snapshot timeline,
        List<String> workloadNotes) {

    public RunStats {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        locks = List.copyOf(locks);
        warnings = List.copyOf(warnings);
        workloadNotes = List.copyOf(workloadNotes);
    }

    /** The nested JSON-ready form: maps keep key order; values are numbers, strings, booleans, maps, lists. */
    public Map<String, Object> toMap() {
        List<Object> lockMaps = new ArrayList<>(locks.size());
        for (VirtualResourceStats l : locks) {
            lockMaps.add(new JsonMap()
                    .put("name", l.name())
                    .put("acquisitions", l.acquisitions())
                    .put("contended", l.contended())
                    .put("waitNs", l.waitNs())
                    .put("busyNs", l.busyNs())
                    .map());
        }
        return new JsonMap()
                .put("config", config)
                .put("warnings", warnings)
                .put("io", JsonMap.of(io))
                .put("throughput", JsonMap.of(throughput))
                .put("limitedBy", JsonMap.of(limitedBy))
                .put("cpu", cpu.toMap(virtualTimeNs))
                .put("rpcit", JsonMap.of(rpcit))
                .put("pages", JsonMap.of(pages))
                .put("flushQueue", JsonMap.of(flushQueue))
                .put("staleWindowNs", staleWindow.toMap())
                .put("staleWindowPeakPages", staleWindow.peakPages())
                .put("hypervisor", JsonMap.of(hypervisor))
                .put("device", JsonMap.of(device))
                .put("memory", JsonMap.of(memory))
                .put("faults", JsonMap.of(faults))
                .put("metrics", metrics)
                .put("locks", lockMaps)
                .put("virtualTimeNs", virtualTimeNs)
                .put("wallTimeMs", wallTimeMs)
                .map();
    }
}
