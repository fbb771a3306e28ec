package org.iommulab.dma.legacy;

/**
 * The knobs of the old s390 DMA API: the kernel parameters {@code s390_iommu=strict} and
 * {@code s390_iommu_aperture=}, the guest's memory size the aperture is scaled from, and the
 * device's {@code dma_get_max_seg_size()}.
 *
 * @param strict {@code s390_iommu=strict}: RPCIT on every unmap, freed IOVAs reusable at once
 * @param memoryBytes the guest's memory ({@code high_memory}), which bounds the aperture
 * @param apertureFactor {@code s390_iommu_aperture=}: the aperture is memory times this; 0 means
 *     unlimited
 * @param maxSegSize the longest DMA segment {@code map_sg} builds, in bytes
 */
public record LegacyDmaOptions(boolean strict, long memoryBytes, long apertureFactor, long maxSegSize) {

    /** {@code s390_iommu_aperture}'s default factor. */
    public static final long DEFAULT_APERTURE_FACTOR = 1;
    /** {@code dma_get_max_seg_size()} of a device without its own limit: 64 KiB. */
    public static final long DEFAULT_MAX_SEG_SIZE = 64 * 1024;

    public LegacyDmaOptions {
        if (memoryBytes < 2 * 4096) {
            throw new IllegalArgumentException("guest memory of " + memoryBytes + " bytes; at least 8192 needed");
        }
        if (apertureFactor < 0) {
            throw new IllegalArgumentException("s390_iommu_aperture=" + apertureFactor + "; must be >= 0");
        }
        if (maxSegSize < 4096 || maxSegSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "max segment size " + maxSegSize + " bytes; allowed 4096.." + Integer.MAX_VALUE);
        }
    }

    /** Lazy unmap (the default), default aperture factor and segment size. */
    public static LegacyDmaOptions lazy(long memoryBytes) {
        return new LegacyDmaOptions(false, memoryBytes, DEFAULT_APERTURE_FACTOR, DEFAULT_MAX_SEG_SIZE);
    }

    /** {@code s390_iommu=strict}, default aperture factor and segment size. */
    public static LegacyDmaOptions strictMode(long memoryBytes) {
        return new LegacyDmaOptions(true, memoryBytes, DEFAULT_APERTURE_FACTOR, DEFAULT_MAX_SEG_SIZE);
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
