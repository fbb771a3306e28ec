package org.iommulab.dma;

import org.iommulab.sim.CachelineAligned;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.SpinLock;

/**
 * One flush queue, {@code struct iova_fq} of drivers/iommu/dma-iommu.c (v6.7): a power-of-2 ring
 * of unmapped IOVA ranges waiting for an IOTLB flush, with its own spinlock. Each entry carries
 * the domain's flush-start count at the time it was queued; an entry may be freed once the
 * finish count has passed it, i.e. once a flush that started after the unmap has completed.
 *
 * <p>{@code head} is the oldest entry, {@code tail} the next free slot; indices advance as
 * {@code (i + 1) & modMask}, so one slot always stays empty and a queue of {@code size} holds
 * {@code size - 1} entries. Every field is guarded by the queue's lock; the ring is never touched
 * without it. The fields, which a CPU writes on every unmap, are cache-line aligned
 * ({@link FlushQueueFields}). The entries' freelist of page-table pages is left out: no driver in
 * the model frees table pages on unmap.
 */
public final class FlushQueue extends FlushQueueFields {

    /** Trailing padding: see {@link CachelineAligned}. */
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    /** @param size entries in the ring, a power of 2 of at least 2 */
    public FlushQueue(SpinLock lock, int size) {
        super(lock, checkedSize(size));
    }

    private static int checkedSize(int size) {
        if (size < 2 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("flush queue size " + size + " is not a power of 2 >= 2");
        }
        return size;
    }

    /** {@code spin_lock_irqsave(&fq->lock)}. */
    public void lock(Cpu cpu) {
        cpu.spend(Cost.SPIN_LOCK);
        lock.lock(cpu);
    }

    /** {@code spin_unlock_irqrestore(&fq->lock)}. */
    public void unlock(Cpu cpu) {
        lock.unlock(cpu);
    }

    /** {@code fq_full}: the slot after tail is head. */
    public boolean isFull() {
        return ((tail + 1) & modMask) == head;
    }

    /** Entries now queued. */
    public int occupancy() {
        return (tail - head) & modMask;
    }

    /** The most entries this queue has held. */
    public int peakOccupancy() {
        return peakOccupancy;
    }

    /** Entries ever added; exact once the queue is quiet. */
    public long queued() {
        return queued;
    }

    /** Entries ever freed; exact once the queue is quiet. */
    public long freed() {
        return freed;
    }

    /** {@code fq_ring_add} and the entry fill: appends a range queued at flush-start count {@code cnt}. */
    public void ringAdd(Cpu cpu, long pfn, long nrPages, long cnt) {
        int idx = tail;
        tail = (idx + 1) & modMask;
        iovaPfn[idx] = pfn;
        pages[idx] = nrPages;
        counter[idx] = cnt;
        queued++;
        cpu.spend(Cost.FQ_ENTRY);
        int occupancy = occupancy();
        if (occupancy > peakOccupancy) {
            peakOccupancy = occupancy;
        }
    }

    /**
     * Copies every queued range, oldest first, into {@code pfns} and {@code nrPages} from
     * {@code at}; the caller holds the lock and has room for {@link #occupancy()} more.
     *
     * @return the ranges copied
     */
    public int copyRangesLocked(long[] pfns, long[] nrPages, int at) {
        int n = 0;
        for (int i = head; i != tail; i = (i + 1) & modMask) {
            pfns[at + n] = iovaPfn[i];
            nrPages[at + n] = pages[i];
            n++;
        }
        return n;
    }

    /**
     * {@code fq_ring_free_locked}: from head, frees every entry queued before a flush that has
     * finished ({@code counter < finishCnt}), stopping at the first that is not.
     *
     * @return the entries freed
     */
    public int ringFreeLocked(Cpu cpu, long finishCnt, DeferredFlushContext.IovaFreer freer) {
        int n = 0;
        while (head != tail && counter[head] < finishCnt) {
            freer.freeIovaFast(cpu, iovaPfn[head], pages[head]);
            cpu.spend(Cost.FQ_ENTRY);
            head = (head + 1) & modMask;
            n++;
        }
        freed += n;
        return n;
    }

    /** Entries ever queued in {@code rings}; exact only when no CPU is queueing. */
    static long queued(FlushQueue[] rings) {
        long n = 0;
        for (FlushQueue fq : rings) {
            n += fq.queued();
        }
        return n;
    }

    /** Entries ever freed from {@code rings}; exact only when no CPU is queueing. */
    static long freed(FlushQueue[] rings) {
        long n = 0;
        for (FlushQueue fq : rings) {
            n += fq.freed();
        }
        return n;
    }

    /** The most entries any one of {@code rings} held. */
    static int peakOccupancy(FlushQueue[] rings) {
        int peak = 0;
        for (FlushQueue fq : rings) {
            peak = Math.max(peak, fq.peakOccupancy());
        }
        return peak;
    }

    /** Entries in {@code rings} now, read without their locks; exact only when no CPU is queueing. */
    static int occupancy(FlushQueue[] rings) {
        int n = 0;
        for (FlushQueue fq : rings) {
            n += fq.occupancy();
        }
        return n;
    }
}
