package org.iommulab.iommu;

import org.iommulab.config.Reference;

/**
 * The flush-queue choice for one device: {@code struct dma_iommu_options} of the series' v7
 * (include/linux/iommu.h there), which became the private {@code struct iommu_dma_options} of
 * drivers/iommu/dma-iommu.c in v6.7.
 *
 * @param queueType per-CPU queues or one shared queue
 * @param fqSize entries per queue, a power of 2
 * @param fqTimeoutMs the flush timer's timeout
 */
public record DmaIommuOptions(QueueType queueType, int fqSize, int fqTimeoutMs) {

    /** {@code IOVA_DEFAULT_FQ_SIZE}. */
    public static final int DEFAULT_FQ_SIZE = Reference.integer("flushQueues", "perCpu", "entries");
    /** {@code IOVA_DEFAULT_FQ_TIMEOUT}, ms. */
    public static final int DEFAULT_FQ_TIMEOUT_MS = Reference.integer("flushQueues", "perCpu", "timeoutMs");
    /** {@code IOVA_SINGLE_FQ_SIZE}. */
    public static final int SINGLE_FQ_SIZE = Reference.integer("flushQueues", "single", "entries");
    /** {@code IOVA_SINGLE_FQ_TIMEOUT}, ms. */
    public static final int SINGLE_FQ_TIMEOUT_MS = Reference.integer("flushQueues", "single", "timeoutMs");

    /** {@code IOMMU_DMA_OPTS_PER_CPU_QUEUE} / {@code IOMMU_DMA_OPTS_SINGLE_QUEUE}. */
    public enum QueueType {
        PER_CPU,
        SINGLE
    }

    /** The largest queue a user may ask for: 2^20 entries. */
    public static final int MAX_FQ_SIZE = 1 << 20;
    /** The longest timeout a user may ask for: one hour. */
    public static final int MAX_FQ_TIMEOUT_MS = 3_600_000;

    /**
     * Options a user asked for, checked.
     *
     * @throws IllegalArgumentException naming the value when the size is not a power of 2 in
     *     2..{@value #MAX_FQ_SIZE} or the timeout is not in 1..{@value #MAX_FQ_TIMEOUT_MS} ms
     */
    public static DmaIommuOptions checked(QueueType queueType, int fqSize, int fqTimeoutMs) {
        if (!validSize(fqSize)) {
            throw new IllegalArgumentException("flush queue size " + fqSize
                    + " is not allowed; use a power of 2 from 2 to " + MAX_FQ_SIZE);
        }
        if (fqTimeoutMs < 1 || fqTimeoutMs > MAX_FQ_TIMEOUT_MS) {
            throw new IllegalArgumentException("flush queue timeout " + fqTimeoutMs
                    + " ms is not allowed; use 1 to " + MAX_FQ_TIMEOUT_MS + " ms");
        }
        return new DmaIommuOptions(queueType, fqSize, fqTimeoutMs);
    }

    /** True when {@code fqSize} is a power of 2 that a ring can use (2..{@value #MAX_FQ_SIZE}). */
    public static boolean validSize(int fqSize) {
        return fqSize >= 2 && fqSize <= MAX_FQ_SIZE && Integer.bitCount(fqSize) == 1;
    }

    /** Per-CPU queues of 256 entries and 10 ms. */
    public static DmaIommuOptions perCpuDefaults() {
        return new DmaIommuOptions(QueueType.PER_CPU, DEFAULT_FQ_SIZE, DEFAULT_FQ_TIMEOUT_MS);
    }

    /** One queue of 32768 entries and 1000 ms: what {@code shadow_on_flush} selects. */
    public static DmaIommuOptions singleDefaults() {
        return new DmaIommuOptions(QueueType.SINGLE, SINGLE_FQ_SIZE, SINGLE_FQ_TIMEOUT_MS);
    }
}
