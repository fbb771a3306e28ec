package org.iommulab.dma;

import org.iommulab.sim.Cpu;

/**
 * What a DMA-FQ domain's unmapped IOVAs wait in until an IOTLB flush covers them: the role of
 * {@code cookie->fq_domain} and {@code queue_iova} in drivers/iommu/dma-iommu.c (v6.7). The
 * kernel's per-CPU and single queues ({@link FlushQueues}) are one implementation; a new queueing
 * policy is another, built by a {@link Factory} given to {@link DmaIommuLayer}.
 *
 * <p>Every implementation keeps the safety protocol of the kernel's queues: an IOVA goes back to
 * the allocator only after a domain flush that started after its unmap has finished, and the
 * two counts below say so, for the invariant checkers.
 */
public interface DeferredFlush {

    /** Builds the queues of one domain; {@code iommu_dma_init_fq} calls it once. */
    @FunctionalInterface
    interface Factory {
        DeferredFlush create(DeferredFlushContext context);
    }

    /** The kernel's per-CPU or single queues, as the domain's options ask; always the same factory. */
    static Factory kernelQueues() {
        return FlushQueues.FACTORY;
    }

    /** Takes an unmapped, not yet flushed range; frees it once a later flush has finished. */
    void queueIova(Cpu cpu, long pfn, long pages);

    /** {@code iommu_dma_free_fq}: stops timers; what is still queued goes with the IOVA domain. */
    void free();

    /** Domain-wide flushes begun: an unmap that returned before this read {@code n} is covered once {@link #flushFinishCount()} exceeds {@code n}. */
    long flushStartCount();

    /** Domain-wide flushes finished. */
    long flushFinishCount();

    /** Ranges ever queued; exact only when no CPU is queueing. */
    long entriesQueued();

    /** Queued ranges ever freed; exact only when no CPU is queueing. */
    long entriesFreed();

    /** The most entries any one queue held. */
    int peakOccupancy();

    /** Entries queued now; exact only when no CPU is queueing. */
    int occupancy();
}
