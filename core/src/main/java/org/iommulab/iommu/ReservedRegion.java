package org.iommulab.iommu;

/**
 * {@code struct iommu_resv_region}: a bus-address range the DMA layer must never hand out.
 *
 * @param start first byte
 * @param length bytes
 */
public record ReservedRegion(long start, long length, Type type) {

    /** {@code enum iommu_resv_type}, the kinds the model uses. */
    public enum Type {
        DIRECT,
        RESERVED,
        MSI
    }

    /** The last byte, inclusive. */
    public long end() {
        return start + length - 1;
    }
}
