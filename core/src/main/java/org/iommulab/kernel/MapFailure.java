package org.iommulab.kernel;

/**
 * Why a DMA map returned an error. The kernel hands the driver only {@code DMA_MAPPING_ERROR} or an
 * errno; the model's DMA layers also count the step that failed, so a run can tell its user why
 * its I/Os failed instead of only that they did.
 */
public enum MapFailure {
    /** A zero length, or more pages than the whole DMA range. */
    INVALID_SIZE("invalidSize", "the request's size was 0 or larger than the whole DMA range"),
    /** The device's DMA mask ends below the first bus address the domain hands out. */
    DMA_MASK_BELOW_APERTURE("dmaMaskBelowAperture",
            "the device's DMA mask ends below the DMA aperture, so no IOVA can satisfy it"),
    /** Every IOVA (or bitmap page) below the device's limit was in use. */
    IOVA_SPACE_EXHAUSTED("iovaSpaceExhausted", "the IOVA space ran out: every address in the aperture was in use"),
    /** Allocating I/O page tables or the IOTLB refresh after mapping failed. */
    IOMMU_MAP_FAILED("iommuMapFailed", "the IOMMU could not map the pages (page-table memory or the refresh failed)");

    private final String key;
    private final String explanation;

    MapFailure(String key, String explanation) {
        this.key = key;
        this.explanation = explanation;
    }

    /** The name in results ({@code io.mapErrorsByCause.<key>}). */
    public String key() {
        return key;
    }

    /** One clause for a warning. */
    public String explanation() {
        return explanation;
    }
}
