package org.iommulab.dma;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.KTimer;

/**
 * The flush-queue half of {@code struct iommu_dma_cookie} in drivers/iommu/dma-iommu.c (v6.7):
 * one {@link FlushQueue} per CPU or a single shared one, the domain's
 * {@code fq_flush_start_cnt} / {@code fq_flush_finish_cnt}, and one timer with its
 * {@code fq_timer_on} flag, with {@code queue_iova}, {@code fq_flush_iotlb} and
 * {@code fq_flush_timeout}.
 *
 * <p>Safety rests on the two counters: an entry records the start count when it is queued and is
 * freed only when the finish count is above it, so its IOVA returns to the allocator only after a
 * complete domain flush that began after the unmap. A full queue flushes synchronously; otherwise
 * the timer, armed by the first enqueue after it last fired, flushes once and drains every queue.
 * The kernel's jiffy rounding of the timeout is left out: the timer fires exactly
 * {@code fq_timeout} ms after it is armed.
 *
 * <p>A race the model keeps because the kernel has it: the finish count says how many flushes
 * finished, not which. If another CPU's flush started before this CPU's synchronous one and is
 * still running, the finish count after the synchronous flush does not pass the entries queued
 * since that other flush started, so the queue can still be full. {@code queue_iova} then adds
 * anyway; the tail wraps onto the head and every entry in the ring is lost: their IOVAs are never
 * freed (a leak, never an early reuse). It takes a whole queue of entries queued during one flush,
 * so it needs tiny queues or very slow flushes; {@link FlushQueueCounters#overflow} counts it.
 */
final class FlushQueues implements DeferredFlush {

    /** Builds them for {@link DeferredFlush#kernelQueues()}. */
    static final DeferredFlush.Factory FACTORY = FlushQueues::new;

    private final DmaIommuOptions options;
    private final FlushQueue single;
    private final FlushQueue[] perCpu;
    private final AtomicLong fqFlushStartCnt = new AtomicLong();
    private final AtomicLong fqFlushFinishCnt = new AtomicLong();
    private final AtomicBoolean fqTimerOn = new AtomicBoolean();
    private final KTimer fqTimer;
    private final DeferredFlushContext.Flusher flusher;
    private final DeferredFlushContext.IovaFreer freer;
    private final FlushQueueCounters counters;

    /**
     * {@code iommu_dma_init_fq}: allocates the queues the options ask for and sets up the timer.
     * The options hold a power-of-2 size and a positive timeout (checked by the caller).
     */
    FlushQueues(DeferredFlushContext context) {
        Engine engine = context.engine();
        String name = context.name();
        DmaIommuOptions options = context.options();
        this.options = options;
        this.flusher = context.flusher();
        this.freer = context.freer();
        this.counters = context.counters();
        if (options.queueType() == DmaIommuOptions.QueueType.SINGLE) {
            single = new FlushQueue(engine.newSpinLock(name + " single fq"), options.fqSize());
            perCpu = null;
        } else {
            single = null;
            perCpu = new FlushQueue[engine.nrCpus()];
            for (int i = 0; i < perCpu.length; i++) {
                perCpu[i] = new FlushQueue(engine.newSpinLock(name + " fq cpu" + i), options.fqSize());
            }
        }
        fqTimer = engine.newTimer(name + " fq_timer", this::fqFlushTimeout);
    }

    /**
     * {@code queue_iova}: puts an unmapped range in this CPU's queue (or the single one), freeing
     * what earlier flushes already covered, flushing synchronously if the queue is still full, and
     * arming the timer if it is not running.
     */
    @Override
    public void queueIova(Cpu cpu, long pfn, long pages) {
        // smp_mb(): the driver's clearing of the PTEs must be visible before this entry's start
        // count is read, so that any flush counted as starting after that read sees the cleared
        // PTEs. A full fence is the only Java barrier that orders those earlier stores against the
        // later load. It also pairs with the release that published this object (see
        // IommuDmaCookie.initFq), so the queues are never seen half-initialised.
        VarHandle.fullFence();
        FlushQueue fq = single != null ? single : perCpu[cpu.id()];
        fq.lock(cpu);
        try {
            freeLocked(cpu, fq);
            if (fq.isFull()) {
                fqFlushIotlb(cpu);
                counters.queueFullFlush();
                freeLocked(cpu, fq);
                if (fq.isFull()) {
                    // The kernel adds regardless (see the class comment): tail wraps onto head and
                    // the whole ring, this entry included, reads as empty. Count what is lost.
                    counters.overflow(fq.occupancy() + 1);
                }
            }
            fq.ringAdd(cpu, pfn, pages, fqFlushStartCnt.get());
        } finally {
            fq.unlock(cpu);
        }
        // A plain read first so that CPUs finding the timer armed do not all write the flag's
        // cache line; only the one that flips it arms the timer (atomic_xchg).
        if (!fqTimerOn.get() && !fqTimerOn.getAndSet(true)) {
            fqTimer.mod(cpu, options.fqTimeoutMs() * 1_000_000L);
        }
    }

    /**
     * {@code fq_flush_iotlb}: one domain-wide flush bracketed by the counters. The increments are
     * sequentially consistent (stronger than the kernel's unordered atomic64_inc, whose ordering
     * comes from the driver's flush itself), so an entry that read the start count before this
     * flush's increment is covered by it.
     */
    void fqFlushIotlb(Cpu cpu) {
        fqFlushStartCnt.incrementAndGet();
        flusher.flushIotlbAll(cpu);
        fqFlushFinishCnt.incrementAndGet();
    }

    /** {@code fq_flush_timeout}: clears the armed flag, flushes once, drains every queue. */
    void fqFlushTimeout(Cpu cpu) {
        fqTimerOn.set(false);
        fqFlushIotlb(cpu);
        counters.timerFlush();
        if (single != null) {
            ringFree(cpu, single);
        } else {
            for (FlushQueue fq : perCpu) {
                ringFree(cpu, fq);
            }
        }
    }

    /** {@code fq_ring_free}: frees the flushed entries of {@code fq} under its lock. */
    private void ringFree(Cpu cpu, FlushQueue fq) {
        fq.lock(cpu);
        try {
            freeLocked(cpu, fq);
        } finally {
            fq.unlock(cpu);
        }
    }

    private void freeLocked(Cpu cpu, FlushQueue fq) {
        fq.ringFreeLocked(cpu, fqFlushFinishCnt.get(), freer);
    }

    /** {@code iommu_dma_free_fq}: stops the timer; queued IOVAs go with the IOVA domain. */
    @Override
    public void free() {
        fqTimer.cancel();
    }

    @Override
    public long flushStartCount() {
        return fqFlushStartCnt.get();
    }

    @Override
    public long flushFinishCount() {
        return fqFlushFinishCnt.get();
    }

    @Override
    public long entriesQueued() {
        return FlushQueue.queued(queues());
    }

    @Override
    public long entriesFreed() {
        return FlushQueue.freed(queues());
    }

    @Override
    public int peakOccupancy() {
        return FlushQueue.peakOccupancy(queues());
    }

    @Override
    public int occupancy() {
        return FlushQueue.occupancy(queues());
    }

    private FlushQueue[] queues() {
        return single != null ? new FlushQueue[] {single} : perCpu;
    }
}
