package org.iommulab.dma;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.UntimedEngine;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The deadline queue's ranged flush racing an unmap: CPU 0 clears a PTE and queues the page while
 * the deadline timer on CPU 1 collects the queued ranges, invalidates them and drains the rings.
 * A ranged invalidation re-reads the PTE only for the pages it covers, so an entry the collection
 * missed must not be freed by that flush: the flush moves the start count before it takes any
 * ring's lock, and the entry reads it under its ring's lock.
 */
@JCStressTest
@Description("deadline queue, ranged flush: no IOVA freed unless a flush that covered its page came after its unmap")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "queued after the collection, or after the drain: kept for a later flush")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "collected, invalidated with the PTE cleared, then freed")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "freed although no invalidation saw the cleared PTE: the device can still reach the page")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class DeadlineRangedFlushStress {

    private static final long PFN = 42;

    private final UntimedEngine engine = new UntimedEngine(2);
    /** The page's translation in the page table: 1 present, 0 cleared by the unmap. */
    private int pte = 1;
    /** Whether the device's IOTLB may still translate the page; an invalidation covering it re-reads the PTE. */
    private int iotlbHolds = 1;
    private int freed;
    private int heldWhenFreed;
    private final DeadlineQueues queues = new DeadlineQueues(new DeferredFlushContext(engine, "stress",
            new DmaIommuOptions(QueueType.PER_CPU, 16, 1), this::flushIotlbAll, this::flushRange, this::freeIovaFast,
            new FlushQueueCounters()), 1_000_000, 100, new RangeFlushCost(1000, 100));

    private void flushIotlbAll(Cpu cpu) {
        iotlbHolds = pte;
    }

    private void flushRange(Cpu cpu, long pfn, long pages) {
        if (pfn <= PFN && PFN < pfn + pages) {
            iotlbHolds = pte;
        }
    }

    private void freeIovaFast(Cpu cpu, long pfn, long pages) {
        if (pfn == PFN) {
            freed = 1;
            heldWhenFreed = iotlbHolds;
        }
    }

    /** {@code __iommu_dma_unmap} on CPU 0: the driver clears the PTE, then the IOVA is queued. */
    @Actor
    public void unmap() {
        pte = 0;
        queues.queueIova(engine.cpu(0), PFN, 1);
    }

    /** The deadline timer firing on CPU 1. */
    @Actor
    public void deadline() {
        queues.deadline(engine.cpu(1));
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = freed;
        r.r2 = heldWhenFreed;
    }
}
