package org.iommulab.nativebench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IOVA pages whose translation a refused flush may have left behind, shared by the workers of
 * one target: each page of an unmap that could not be checked because the platform refused a
 * flush meanwhile. A live mapping that reaches the wrong page, or faults, through such an IOVA page
 * is the refused flush's doing (an LPAR IOTLB keeps the old entry, old page and permissions alike,
 * and a newly valid entry needs no RPCIT there), not the DMA layer's; a wrong result through any
 * other IOVA page stays a violation. Holds at most {@value #MAX_PAGES} pages; past that, a hit
 * counts as a violation.
 *
 * <p>A worker learns that its unmap's flush was refused only after the unmap returned, and by
 * then another worker may already have been handed the IOVA and found the old translation. So each
 * unmapped page also keeps the count of refused flushes just before its unmap: a refusal since
 * then explains a wrong translation of it as well.
 */
final class LostFlushes {

    static final int MAX_PAGES = 1 << 20;

    private final Set<Long> pages = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, Long> refusedBeforeUnmap = new ConcurrentHashMap<>();

    /** The first {@code count} IOVA pages of a buffer whose flush the platform may have refused. */
    void record(long[] iovaPages, int count) {
        for (int i = 0; i < count && pages.size() < MAX_PAGES; i++) {
            pages.add(iovaPages[i]);
        }
    }

    /** The first {@code count} IOVA pages of a buffer about to be unmapped, {@code refused} flushes refused so far. */
    void unmapping(long[] iovaPages, int count, long refused) {
        for (int i = 0; i < count; i++) {
            refusedBeforeUnmap.put(iovaPages[i], refused);
        }
    }

    /**
     * Whether a refused flush may have left a translation of {@code iovaPage} behind, now that
     * {@code refusedNow} flushes have been refused.
     */
    boolean explains(long iovaPage, long refusedNow) {
        Long before = refusedBeforeUnmap.get(iovaPage);
        return pages.contains(iovaPage) || (before != null && before != refusedNow);
    }
}
