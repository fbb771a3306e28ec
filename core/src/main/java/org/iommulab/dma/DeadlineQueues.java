package org.iommulab.dma;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.KTimer;

/**
 * A deadline flush queue: a proposed extension of drivers/iommu/dma-iommu.c, not in any kernel.
 * It bounds how long an unmapped page stays reachable instead of how many entries wait.
 *
 * <p>Unmaps fill per-CPU rings ({@link FlushQueue}, each with its own lock), as with the kernel's
 * per-CPU queues, so the fast path stays contention-free. One timer, armed by the first entry
 * queued after the last flush, fires {@code maxStale} later: the oldest entry's deadline. When it
 * fires, one flush covers every CPU's entries and every ring is drained, so a shadowing hypervisor
 * sees one flush per window however many CPUs unmap. The deadline is pulled in when flushing is
 * cheap: once the entries queued would carry at most {@code budgetNsPerPage} of the measured flush
 * cost each, the unmapping CPU re-arms the timer to fire now.
 *
 * <p>With a {@link RangeFlushCost}, the flush is ranged: the queued ranges are collected under
 * each ring's lock, sorted, and merged wherever the gap between two costs less to walk than
 * another invalidation; they are invalidated with one {@code iommu_iotlb_sync} each when that
 * costs less than the last measured global flush, and with {@code flush_iotlb_all} otherwise. A
 * full ring flushes the whole domain synchronously under its lock, as the kernel's queues do.
 *
 * <p>Safety is the kernel's protocol: entries record the flush-start count under their ring's
 * lock, and a ranged flush increments the start count before it takes any ring's lock, so every
 * entry whose count is below that flush's number is in the ranges it invalidates.
 *
 * <p>In dma-iommu.c this would be a third {@code iommu_dma_queue_type} with a
 * {@code max_stale_ms} option: the per-CPU {@code struct iova_fq} rings and
 * {@code fq_flush_start_cnt} / {@code fq_flush_finish_cnt} as today, {@code fq_timer} re-armed
 * with {@code mod_timer(jiffies)} for an early flush, the flush cost measured with
 * {@code ktime_get()} around {@code fq_flush_iotlb}, and the ranged flush built from
 * {@code iommu_iotlb_gather_add_range} and {@code iommu_iotlb_sync}.
 */
public final class DeadlineQueues implements DeferredFlush {

    /** The measured flush cost's smoothing: each new measurement weighs 1/8, as the kernel's srtt. */
    private static final int EWMA_SHIFT = 3;

    private final DeferredFlushContext context;
    private final FlushQueue[] rings;
    private final long maxStaleNs;
    private final long budgetNsPerPage;
    private final RangeFlushCost rangeCost;
    private final int nrCpus;
    private final AtomicLong flushStartCnt = new AtomicLong();
    private final AtomicLong flushFinishCnt = new AtomicLong();
    private final AtomicBoolean timerOn = new AtomicBoolean();
    private final AtomicBoolean earlyAsked = new AtomicBoolean();
    private final KTimer timer;
    /** Smoothed duration of a flush, ns; 0 until one was measured. */
    private volatile long flushNs;
    /** Smoothed duration of a global flush, ns; 0 until one was measured. */
    private volatile long globalFlushNs;

    /**
     * @param maxStaleNs the window bound: the timer's delay after the first entry
     * @param budgetNsPerPage flush time an entry may carry for the deadline to be pulled in
     * @param rangeCost what one ranged invalidation costs, or null to flush the whole domain always
     */
    public DeadlineQueues(DeferredFlushContext context, long maxStaleNs, long budgetNsPerPage, RangeFlushCost rangeCost) {
        this.context = context;
        this.maxStaleNs = maxStaleNs;
        this.budgetNsPerPage = budgetNsPerPage;
        this.rangeCost = rangeCost;
        this.nrCpus = context.engine().nrCpus();
        this.rings = new FlushQueue[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            rings[i] = new FlushQueue(context.engine().newSpinLock(context.name() + " deadline fq cpu" + i),
                    context.options().fqSize());
        }
        this.timer = context.engine().newHrTimer(context.name() + " deadline timer", this::deadline);
    }

    @Override
    public void queueIova(Cpu cpu, long pfn, long pages) {
        VarHandle.fullFence(); // the PTE clears before the start count is read, as queue_iova
        FlushQueue ring = rings[cpu.id()];
        int occupancy;
        ring.lock(cpu);
        try {
            ring.ringFreeLocked(cpu, flushFinishCnt.get(), context.freer());
            if (ring.isFull()) {
                flushAll(cpu);
                context.counters().queueFullFlush();
                ring.ringFreeLocked(cpu, flushFinishCnt.get(), context.freer());
                if (ring.isFull()) {
                    context.counters().overflow(ring.occupancy() + 1);
                }
            }
            ring.ringAdd(cpu, pfn, pages, flushStartCnt.get());
            occupancy = ring.occupancy();
        } finally {
            ring.unlock(cpu);
        }
        if (!timerOn.get() && !timerOn.getAndSet(true)) {
            timer.mod(cpu, cheapNow(occupancy) ? 0 : maxStaleNs);
        } else if (cheapNow(occupancy) && !earlyAsked.get() && !earlyAsked.getAndSet(true)) {
            timer.mod(cpu, 0);
        }
    }

    /**
     * Whether the entries queued, estimated from this CPU's ring, would carry at most the budget
     * each; true before any flush was measured, so that the first one measures the cost.
     */
    private boolean cheapNow(int occupancy) {
        return (long) occupancy * nrCpus * budgetNsPerPage >= flushNs;
    }

    /** The timer: one flush for every CPU's entries, then every ring drained. */
    void deadline(Cpu cpu) {
        timerOn.set(false);
        earlyAsked.set(false);
        if (queuedNow(cpu) == 0) {
            return;
        }
        if (rangeCost == null) {
            flushAll(cpu);
        } else {
            flushRanges(cpu);
        }
        context.counters().timerFlush();
        for (FlushQueue ring : rings) {
            ring.lock(cpu);
            try {
                ring.ringFreeLocked(cpu, flushFinishCnt.get(), context.freer());
            } finally {
                ring.unlock(cpu);
            }
        }
    }

    /** {@code fq_flush_iotlb}: the whole domain, timed. */
    private void flushAll(Cpu cpu) {
        flushStartCnt.incrementAndGet();
        long t0 = cpu.nowNs();
        context.flusher().flushIotlbAll(cpu);
        long took = cpu.nowNs() - t0;
        flushFinishCnt.incrementAndGet();
        globalFlushNs = smooth(globalFlushNs, took);
        flushNs = smooth(flushNs, took);
    }

    /**
     * The queued ranges, merged across cheap gaps, each invalidated on its own; or the whole domain
     * when that measured cheaper. The start count moves first, so the collection sees every entry
     * this flush will let go.
     */
    private void flushRanges(Cpu cpu) {
        flushStartCnt.incrementAndGet();
        long t0 = cpu.nowNs();
        long[][] ranges = collect(cpu);
        int n = merge(ranges[0], ranges[1]);
        long estimate = 0;
        for (int i = 0; i < n; i++) {
            estimate += rangeCost.ns(ranges[1][i]);
        }
        long global = globalFlushNs;
        if (global > 0 && global < estimate) {
            context.flusher().flushIotlbAll(cpu);
        } else {
            for (int i = 0; i < n; i++) {
                context.rangeFlusher().flushRange(cpu, ranges[0][i], ranges[1][i]);
            }
        }
        long took = cpu.nowNs() - t0;
        flushFinishCnt.incrementAndGet();
        if (global > 0 && global < estimate) {
            globalFlushNs = smooth(global, took);
        }
        flushNs = smooth(flushNs, took);
    }

    /** Every ring's ranges, sorted by pfn: {@code {pfns, pages}}. */
    private long[][] collect(Cpu cpu) {
        int room = 0;
        for (FlushQueue ring : rings) {
            room += ring.occupancy();
        }
        long[] pfns = new long[room];
        long[] pages = new long[room];
        int n = 0;
        for (FlushQueue ring : rings) {
            ring.lock(cpu);
            try {
                int more = ring.occupancy();
                if (n + more > pfns.length) {
                    pfns = Arrays.copyOf(pfns, n + more);
                    pages = Arrays.copyOf(pages, n + more);
                }
                n += ring.copyRangesLocked(pfns, pages, n);
            } finally {
                ring.unlock(cpu);
            }
        }
        return sortByPfn(Arrays.copyOf(pfns, n), Arrays.copyOf(pages, n));
    }

    private static long[][] sortByPfn(long[] pfns, long[] pages) {
        Integer[] order = new Integer[pfns.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(pfns[a], pfns[b]));
        long[] p = new long[pfns.length];
        long[] n = new long[pfns.length];
        for (int i = 0; i < order.length; i++) {
            p[i] = pfns[order[i]];
            n[i] = pages[order[i]];
        }
        return new long[][] {p, n};
    }

    /**
     * Merges sorted ranges in place wherever they touch or overlap, or the gap between them costs
     * less to walk than one more invalidation.
     *
     * @return the ranges left, at the front of the arrays
     */
    private int merge(long[] pfns, long[] pages) {
        int out = 0;
        for (int i = 0; i < pfns.length; i++) {
            if (out > 0) {
                long end = pfns[out - 1] + pages[out - 1];
                long gap = pfns[i] - end;
                if (gap <= 0 || rangeCost.gapCheaperThanRange(gap)) {
                    pages[out - 1] = Math.max(end, pfns[i] + pages[i]) - pfns[out - 1];
                    continue;
                }
            }
            pfns[out] = pfns[i];
            pages[out] = pages[i];
            out++;
        }
        return out;
    }

    private static long smooth(long old, long sample) {
        return old == 0 ? sample : old + ((sample - old) >> EWMA_SHIFT);
    }

    /** Entries in every ring, read under each lock. */
    private int queuedNow(Cpu cpu) {
        int n = 0;
        for (FlushQueue ring : rings) {
            ring.lock(cpu);
            try {
                n += ring.occupancy();
            } finally {
                ring.unlock(cpu);
            }
        }
        return n;
    }

    @Override
    public void free() {
        timer.cancel();
    }

    @Override
    public long flushStartCount() {
        return flushStartCnt.get();
    }

    @Override
    public long flushFinishCount() {
        return flushFinishCnt.get();
    }

    @Override
    public long entriesQueued() {
        return FlushQueue.queued(rings);
    }

    @Override
    public long entriesFreed() {
        return FlushQueue.freed(rings);
    }

    @Override
    public int peakOccupancy() {
        return FlushQueue.peakOccupancy(rings);
    }

    @Override
    public int occupancy() {
        return FlushQueue.occupancy(rings);
    }
}
