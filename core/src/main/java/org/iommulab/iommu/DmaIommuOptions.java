package org.iommulab.iommu;

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
    public static final int DEFAULT_FQ_SIZE = 256;
    /** {@code IOVA_DEFAULT_FQ_TIMEOUT}, ms. */
    public static final int DEFAULT_FQ_TIMEOUT_MS = 10;
    /** {@code IOVA_SINGLE_FQ_SIZE}. */
    public static final int SINGLE_FQ_SIZE = 32768;
    /** {@code IOVA_SINGLE_FQ_TIMEOUT}, ms. */
    public static final int SINGLE_FQ_TIMEOUT_MS = 1000;

    /** {@code IOMMU_DMA_OPTS_PER_CPU_QUEUE} / {@code IOMMU_DMA_OPTS_SINGLE_QUEUE}. */
    public enum QueueType {
        PER_CPU,
        SINGLE
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
