package org.iommulab.dma;

/**
 * What one ranged IOTLB invalidation costs on a platform, from the model's cost parameters: a
 * fixed part per invalidation (an RPCIT's exit to the hypervisor, an invalidation descriptor and
 * its wait) and a part per 4 KiB page the invalidation covers (a shadowing hypervisor's walk).
 *
 * @param perRangeNs ns per invalidation
 * @param perPageNs ns per page covered
 */
public record RangeFlushCost(long perRangeNs, long perPageNs) {

    public RangeFlushCost {
        if (perRangeNs < 0 || perPageNs < 0) {
            throw new IllegalArgumentException("range flush costs " + perRangeNs + ", " + perPageNs + " ns; must be >= 0");
        }
    }

    /** One invalidation of {@code pages}. */
    public long ns(long pages) {
        return perRangeNs + pages * perPageNs;
    }

    /** Whether covering a gap of {@code pages} costs less than a separate invalidation. */
    public boolean gapCheaperThanRange(long pages) {
        return pages * perPageNs < perRangeNs;
    }
}
