package org.iommulab.dma;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.iommulab.iommu.DmaIommuOptions;
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
 * The flush-start/finish counter protocol of {@link FlushQueues}: an unmap on CPU 0 clears its
 * PTE and queues the IOVA while the flush timer runs on CPU 1 ({@code fq_flush_timeout}: one
 * domain flush, then every queue drained). The flush stands for the IOTLB: it re-reads the PTE,
 * so after it the device still translates the page exactly when it read the PTE before the clear.
 * The entry may be freed only after a flush that began after it was queued, so it must never be
 * freed while the device may still translate the page.
 *
 * <p>The PTE clear is a plain store, as a driver's may be: what orders it before the entry's read
 * of the start count is the full fence at the top of {@code queueIova}.
 */
@JCStressTest
@Description("fq_flush_start_cnt / fq_flush_finish_cnt: no IOVA freed before a flush that began after it was queued")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "entry queued after the flush began, or after the drain: kept for a later flush")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "freed by the drain after a flush that saw the cleared PTE")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "freed although the flush ran before the PTE clear: the device can still reach the page")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class FlushCounterStress {

    private static final long PFN = 42;

    private final UntimedEngine engine = new UntimedEngine(2);
    /** The page's translation in the page table: 1 present, 0 cleared by the unmap. */
    private int pte = 1;
    /** Whether the device's IOTLB may still translate the page; a flush re-reads the PTE. */
    private int iotlbHolds = 1;
    private int freed;
    private int heldWhenFreed;
    private final FlushQueues queues = new FlushQueues(new DeferredFlushContext(engine, "stress",
            DmaIommuOptions.perCpuDefaults(), this::flushIotlbAll, (cpu, pfn, pages) -> {
                throw new IllegalStateException("the kernel's queues flush the whole domain");
            }, this::freeIovaFast, new FlushQueueCounters()));

    private void flushIotlbAll(Cpu cpu) {
        iotlbHolds = pte;
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

    /** The flush-queue timer firing on CPU 1. */
    @Actor
    public void timer() {
        queues.fqFlushTimeout(engine.cpu(1));
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = freed;
        r.r2 = heldWhenFreed;
    }
}
