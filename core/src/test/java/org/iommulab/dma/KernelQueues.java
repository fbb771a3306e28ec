package org.iommulab.dma;

/** Test helpers for the kernel's queues, which never flush by range. */
final class KernelQueues {

    /** A range flusher the kernel's queues must never call. */
    static final DeferredFlushContext.RangeFlusher NO_RANGES = (cpu, pfn, pages) -> {
        throw new AssertionError("the kernel's queues flush the whole domain, never a range");
    };

    private KernelQueues() {
    }
}
