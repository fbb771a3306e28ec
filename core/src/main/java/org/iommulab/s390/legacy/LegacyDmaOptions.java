package org.iommulab.s390.legacy;

/**
 * The knobs of the old s390 DMA API: the kernel parameters {@code s390_iommu=strict} and
 * {@code s390_iommu_aperture=} and the guest's memory size the aperture is scaled from.
 *
 * @param strict {@code s390_iommu=strict}: RPCIT on every unmap, freed IOVAs reusable at once
 * @param memoryBytes the guest's memory ({@code high_memory}), which bounds the aperture
 * @param apertureFactor {@code s390_iommu_aperture=}: the aperture is memory times this; 0 means
 *     unlimited
 */
public record LegacyDmaOptions(boolean strict, long memoryBytes, long apertureFactor) {

    /** {@code s390_iommu_aperture}'s default factor. */
    public static final long DEFAULT_APERTURE_FACTOR = 1;

    public LegacyDmaOptions {
        if (memoryBytes < 2 * 4096) {
            throw new IllegalArgumentException("guest memory of " + memoryBytes + " bytes; at least 8192 needed");
        }
        if (apertureFactor < 0) {
            throw new IllegalArgumentException("s390_iommu_aperture=" + apertureFactor + "; must be >= 0");
        }
    }

    /** Lazy unmap (the default) and the default aperture factor. */
    public static LegacyDmaOptions lazy(long memoryBytes) {
        return new LegacyDmaOptions(false, memoryBytes, DEFAULT_APERTURE_FACTOR);
    }

    /** {@code s390_iommu=strict} and the default aperture factor. */
    public static LegacyDmaOptions strictMode(long memoryBytes) {
        return new LegacyDmaOptions(true, memoryBytes, DEFAULT_APERTURE_FACTOR);
    }

    /** {@code s390_iommu_aperture} in bytes: memory times the factor, unlimited for 0 or on overflow. */
    public long apertureBytes() {
        if (apertureFactor == 0) {
            return Long.MAX_VALUE;
        }
        try {
            return Math.multiplyExact(memoryBytes, apertureFactor);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
