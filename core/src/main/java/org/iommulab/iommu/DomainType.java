package org.iommulab.iommu;

/**
 * The domain types of include/linux/iommu.h that a group's default domain can have, with the names
 * sysfs {@code iommu_group/type} shows. The single flush queue is not a type: it shows as DMA-FQ.
 */
public enum DomainType {
    /** {@code IOMMU_DOMAIN_BLOCKED}: no DMA at all. */
    BLOCKED("blocked"),
    /** {@code IOMMU_DOMAIN_IDENTITY}: passthrough, bus address = physical address. */
    IDENTITY("identity"),
    /** {@code IOMMU_DOMAIN_UNMANAGED}: owned by a user such as vfio. */
    UNMANAGED("unmanaged"),
    /** {@code IOMMU_DOMAIN_DMA}: dma-iommu, strict invalidation. */
    DMA("DMA"),
    /** {@code IOMMU_DOMAIN_DMA_FQ}: dma-iommu with flush queues (lazy invalidation). */
    DMA_FQ("DMA-FQ");

    private final String sysfsName;

    DomainType(String sysfsName) {
        this.sysfsName = sysfsName;
    }

    /** The name sysfs shows. */
    public String sysfsName() {
        return sysfsName;
    }

    /** True for the types dma-iommu serves. */
    public boolean isDma() {
        return this == DMA || this == DMA_FQ;
    }
}
