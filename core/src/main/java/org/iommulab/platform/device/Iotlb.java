package org.iommulab.platform.device;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's I/O TLB: a bounded cache of page translations, least recently used out first. An
 * entry leaves only by eviction or invalidation, so an unmapped page the device had translated
 * stays reachable until the invalidation that covers it. Invalid translations are never cached,
 * which is why a platform without {@code tlb_refresh} needs no flush on map.
 *
 * <p>Thread-safe. A fill carries the invalidation count read before the walk and is dropped if an
 * invalidation ran meanwhile, so a walk that raced with an invalidation cannot cache what it
 * removed.
 */
public final class Iotlb {

    private final int capacity;
    private final LinkedHashMap<Long, Long> entries;
    private long invalidations;
    private long evictions;

    /** @param capacity entries, at least 1 */
    public Iotlb(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("IOTLB capacity " + capacity + "; must be >= 1");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The cached translation of page frame {@code pfn}, or {@link DmaTranslationSource#NO_TRANSLATION}. */
    public synchronized long lookup(long pfn) {
        Long e = entries.get(pfn);
        return e == null ? DmaTranslationSource.NO_TRANSLATION : e;
    }

    /** The invalidation count, to pass to {@link #fill} after a walk. */
    public synchronized long invalidations() {
        return invalidations;
    }

    /** Caches {@code translation} for {@code pfn} unless an invalidation ran since {@code invalidationsBefore}. */
    public synchronized void fill(long pfn, long translation, long invalidationsBefore) {
        if (invalidations != invalidationsBefore) {
            return;
        }
        entries.put(pfn, translation);
        if (entries.size() > capacity) {
            Iterator<Long> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
            evictions++;
        }
    }

    /** Drops every entry for the pages of {@code [firstPfn, firstPfn + pages)}. */
    public synchronized void invalidate(long firstPfn, long pages) {
        invalidations++;
        if (pages >= entries.size()) {
            entries.keySet().removeIf(pfn -> pfn - firstPfn >= 0 && pfn - firstPfn < pages);
            return;
        }
        for (long p = 0; p < pages; p++) {
            entries.remove(firstPfn + p);
        }
    }

    /** Drops every entry. */
    public synchronized void invalidateAll() {
        invalidations++;
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Entries pushed out by newer ones. */
    public synchronized long evictions() {
        return evictions;
    }

    /** The cached page frames and translations, least recently used first; for tests and checkers. */
    public synchronized Map<Long, Long> snapshot() {
        return new LinkedHashMap<>(entries);
    }
}
