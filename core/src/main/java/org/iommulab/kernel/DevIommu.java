package org.iommulab.kernel;

/**
 * {@code struct dev_iommu}: what the IOMMU core keeps per device. Models include/linux/iommu.h,
 * v6.7, reduced to the fields the DMA layer reads.
 */
public final class DevIommu {

    /** "IOTLB flushes are used to sync shadow tables": selects the single flush queue. */
    private volatile boolean shadowOnFlush;

    public boolean shadowOnFlush() {
        return shadowOnFlush;
    }

    public void setShadowOnFlush(boolean shadowOnFlush) {
        this.shadowOnFlush = shadowOnFlush;
    }
}
