package org.iommulab.nativebench;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The IOVA pages live on one device, each with the mapping that holds it. A mapping claims its
 * pages as soon as the map returned and releases them just before it is unmapped, so the DMA layer
 * may hand a page out again only after the release: finding it still claimed means it was handed
 * out twice while live.
 */
final class LiveIovas {

    /** No page was already claimed. */
    static final long NONE = -1;

    private final ConcurrentHashMap<Long, Long> owners = new ConcurrentHashMap<>();

    /**
     * Claims {@code pages[0..n)} for mapping {@code id}.
     *
     * @return {@link #NONE}, or the first page another mapping holds (the rest are claimed)
     */
    long claim(long[] pages, int n, long id) {
        long conflict = NONE;
        for (int i = 0; i < n; i++) {
            if (owners.putIfAbsent(pages[i], id) != null && conflict == NONE) {
                conflict = pages[i];
            }
        }
        return conflict;
    }

    /** Releases the pages {@code id} holds among {@code pages[0..n)}. */
    void release(long[] pages, int n, long id) {
        for (int i = 0; i < n; i++) {
            owners.remove(pages[i], id);
        }
    }
}
