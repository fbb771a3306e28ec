package org.iommulab.iommu;

/** {@code enum iommu_cap}: the capabilities the DMA layer asks a driver about. */
public enum IommuCap {
    CACHE_COHERENCY,
    /** The driver can defer IOTLB flushes, so the device may get a flush queue (DMA-FQ). */
    DEFERRED_FLUSH
}
