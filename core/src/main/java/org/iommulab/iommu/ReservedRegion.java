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

    /**
     * The software MSI window ({@code MSI_IOVA_BASE}, {@code MSI_IOVA_LENGTH}) that the SMMUv3 and
     * virtio-iommu drivers both reserve in every domain, where the host maps MSI doorbells.
     */
    public static final ReservedRegion SOFTWARE_MSI = new ReservedRegion(0x800_0000L, 0x10_0000L, Type.MSI);

    /** The last byte, inclusive. */
    public long end() {
        return start + length - 1;
    }
}
