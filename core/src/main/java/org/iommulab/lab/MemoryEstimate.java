package org.iommulab.lab;

import java.util.List;
import java.util.Locale;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.policy.DmaSetup;
import org.iommulab.report.Units;

/**
 * What a run will hold in memory at once, estimated before it starts, so that a run that cannot
 * fit the JVM's heap is refused in a line saying what to reduce instead of dying of
 * OutOfMemoryError minutes later. The per-item sizes are upper bounds measured on this model
 * (request, scatterlist and IOVA objects, page-table and flush-queue entries); the estimate errs
 * high.
 */
final class MemoryEstimate {

    /**
     * The model's fixed part: machine, histograms, shadow tables, per-CPU state of a small run.
     * The default KVM run holds 13 MB live and LPAR with 144 CPUs 13.2 MB (jmap -histo:live,
     * 2026-12-04), so 16 MiB errs high while letting a default run fit a 64 MiB heap, as
     * scripts/memory-check requires.
     */
    static final long BASE_BYTES = 16L << 20;
    /** One I/O in flight: its request, scatterlist, IOVA node and completion event. */
    static final long BYTES_PER_IO = 1024;
    /** One page of an I/O in flight: its scatterlist entry, page-table entry and stale-window record. */
    static final long BYTES_PER_PAGE = 256;
    /** One flush-queue slot: IOVA, page count and flush counter. */
    static final long BYTES_PER_FQ_ENTRY = 32;
    /** Per CPU: IOVA magazines, counters, timers. */
    static final long BYTES_PER_CPU = 64 << 10;
    /** The share of the heap a run may plan to use; the rest is for the collector's headroom. */
    static final double HEAP_SHARE = 0.8;

    private MemoryEstimate() {}

    /** The bytes {@code s} will need at most. */
    static long bytes(Scenario s) {
        WorkloadSpec.InFlight f = s.workload().inFlight(s.cpus());
        double ios = (double) f.ios() * (BYTES_PER_IO + (double) f.pagesEach() * BYTES_PER_PAGE);
        double total = BASE_BYTES + ios + (double) s.cpus() * BYTES_PER_CPU + flushQueueBytes(s);
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    /**
     * How many of {@code scenarios} may run at once: at most {@code cores}, and no more than a
     * share of {@code maxHeapBytes} holds at the largest one's estimate (at least one, which
     * {@link #check} then judges alone).
     */
    static int concurrentRuns(List<Scenario> scenarios, int cores, long maxHeapBytes) {
        long largest = 1;
        for (Scenario s : scenarios) {
            largest = Math.max(largest, bytes(s));
        }
        long fit = (long) (maxHeapBytes * HEAP_SHARE) / largest;
        return (int) Math.max(1, Math.min(Math.min(cores, scenarios.size()), fit));
    }

    /** Refuses {@code s} when it needs more than a share of {@code maxHeapBytes}. */
    static void check(Scenario s, long maxHeapBytes) {
        long need = bytes(s);
        if (need > maxHeapBytes * HEAP_SHARE) {
            WorkloadSpec.InFlight f = s.workload().inFlight(s.cpus());
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "this run needs about %s of memory and the JVM has %s: %d I/Os in flight (%s) of up to %d pages"
                            + " each%s; reduce those options or --cpus, or give Java more with JAVA_TOOL_OPTIONS=-Xmx...",
                    Units.bytes(need), Units.bytes(maxHeapBytes), f.ios(), f.setBy(), f.pagesEach(),
                    flushQueueBytes(s) > need / 4 ? ", and " + Units.bytes(flushQueueBytes(s)) + " of flush queues (--fq-size"
                            + (perCpuQueues(s) ? " x --cpus)" : ")") : ""));
        }
    }

    /** Bytes of flush-queue entries, as the resolved policy sets the queues up. */
    private static double flushQueueBytes(Scenario s) {
        DmaIommuOptions q = queueOptions(s);
        return q == null ? 0 : (double) q.fqSize() * BYTES_PER_FQ_ENTRY * (perCpuQueues(s) ? s.cpus() : 1);
    }

    private static boolean perCpuQueues(Scenario s) {
        DmaIommuOptions q = queueOptions(s);
        return q != null && q.queueType() == DmaIommuOptions.QueueType.PER_CPU;
    }

    /** The flush-queue options the policy resolved on the platform forces, or null when it has no queues. */
    private static DmaIommuOptions queueOptions(Scenario s) {
        DmaSetup setup = s.dma().resolve(s.platform()).setup(s.platform(), s.queueSettings());
        return setup instanceof DmaSetup.Iommu iommu && !iommu.strict() ? iommu.options() : null;
    }
}
