package org.iommulab.iommu;

/** The {@code IOMMU_READ} / {@code IOMMU_WRITE} protection bits of a mapping. */
public final class IommuProt {
    public static final int READ = 1;
    public static final int WRITE = 1 << 1;

    private IommuProt() {}
}
