package org.iommulab.iommu;

/**
 * What the IOMMU core asks of the DMA layer's per-domain state ({@code struct iommu_dma_cookie},
 * which include/linux/iommu.h keeps opaque as {@code iova_cookie}): bringing up flush queues on a
 * live domain and tearing the cookie down. Implemented by the dma package, which sits above.
 */
public interface IovaCookie {

    /**
     * {@code iommu_dma_init_fq}: sets up the flush queue(s) the cookie's options ask for; a no-op
     * when they exist already.
     *
     * @return 0 or -errno
     */
    int initFq();

    /** {@code iommu_put_dma_cookie}: stops the flush timer and frees the queues and IOVA domain. */
    void put();
}
