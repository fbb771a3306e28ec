package org.iommulab.stats;

/**
 * Flush-queue flushes by cause (drivers/iommu/dma-iommu.c): a queue found full by
 * {@code queue_iova}, or the {@code fq_flush_timeout} timer.
 */
public record FlushQueueCounts(long fullFlushes, long timerFlushes) {

    /** A run without flush queues (strict or legacy). */
    public static final FlushQueueCounts NONE = new FlushQueueCounts(0, 0);
}
