package org.iommulab.platform.device;

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
 *
 * <p>Every transferred page of every simulated I/O looks up here, so the entries are primitive:
 * a linear-probing table from page frame to slot, and the slots on a doubly linked recency list
 * (head least recently used); no boxing, no allocation after construction.
 */
public final class Iotlb {

    private static final int NONE = -1;

    private final int capacity;
    private final long[] pfns;
    private final long[] translations;
    private final int[] older;
    private final int[] newer;
    /** Slot + 1 by hash of pfn, 0 for empty; linear probing, deleted by backward shift. */
    private final int[] table;
    private final int mask;
    private int oldest = NONE;
    private int newest = NONE;
    private int size;
    private long invalidations;
    private long evictions;

    /** @param capacity entries, at least 1 */
    public Iotlb(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("IOTLB capacity " + capacity + "; must be >= 1");
        }
        this.capacity = capacity;
        this.pfns = new long[capacity];
        this.translations = new long[capacity];
        this.older = new int[capacity];
        this.newer = new int[capacity];
        int buckets = Integer.highestOneBit(Math.max(2, capacity) * 4 - 1);
        this.table = new int[buckets];
        this.mask = buckets - 1;
    }

    /** The cached translation of page frame {@code pfn}, or {@link DmaTranslationSource#NO_TRANSLATION}. */
    public synchronized long lookup(long pfn) {
        int slot = find(pfn);
        if (slot == NONE) {
            return DmaTranslationSource.NO_TRANSLATION;
        }
        touch(slot);
        return translations[slot];
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
        int slot = find(pfn);
        if (slot != NONE) {
            translations[slot] = translation;
            touch(slot);
            return;
        }
        if (size == capacity) {
            remove(oldest);
            evictions++;
        }
        slot = size; // slots in use stay [0, size)
        size++;
        pfns[slot] = pfn;
        translations[slot] = translation;
        link(slot);
        int b = bucket(pfn);
        while (table[b] != 0) {
            b = (b + 1) & mask;
        }
        table[b] = slot + 1;
    }

    /** Drops every entry for the pages of {@code [firstPfn, firstPfn + pages)}. */
    public synchronized void invalidate(long firstPfn, long pages) {
        invalidations++;
        if (pages >= size) {
            for (int s = oldest; s != NONE; ) {
                int next = newer[s];
                if (pfns[s] - firstPfn >= 0 && pfns[s] - firstPfn < pages) {
                    int last = size - 1;
                    remove(s);
                    if (next == last) {
                        next = s; // the last slot's entry moved into s
                    }
                }
                s = next;
            }
            return;
        }
        for (long p = 0; p < pages; p++) {
            int slot = find(firstPfn + p);
            if (slot != NONE) {
                remove(slot);
            }
        }
    }

    /** Drops every entry. */
    public synchronized void invalidateAll() {
        invalidations++;
        java.util.Arrays.fill(table, 0);
        size = 0;
        oldest = NONE;
        newest = NONE;
    }

    public synchronized int size() {
        return size;
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
        Map<Long, Long> out = new LinkedHashMap<>();
        for (int s = oldest; s != NONE; s = newer[s]) {
            out.put(pfns[s], translations[s]);
        }
        return out;
    }

    private int bucket(long pfn) {
        long h = pfn * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private int find(long pfn) {
        for (int b = bucket(pfn); table[b] != 0; b = (b + 1) & mask) {
            int slot = table[b] - 1;
            if (pfns[slot] == pfn) {
                return slot;
            }
        }
        return NONE;
    }

    /** Moves {@code slot} to the most recently used end. */
    private void touch(int slot) {
        if (slot != newest) {
            unlink(slot);
            link(slot);
        }
    }

    private void link(int slot) {
        older[slot] = newest;
        newer[slot] = NONE;
        if (newest != NONE) {
            newer[newest] = slot;
        } else {
            oldest = slot;
        }
        newest = slot;
    }

    private void unlink(int slot) {
        if (older[slot] != NONE) {
            newer[older[slot]] = newer[slot];
        } else {
            oldest = newer[slot];
        }
        if (newer[slot] != NONE) {
            older[newer[slot]] = older[slot];
        } else {
            newest = older[slot];
        }
    }

    /**
     * Drops {@code slot}: out of the recency list and the table; the last slot in use moves into
     * its place so that slots in use stay {@code [0, size)}.
     */
    private void remove(int slot) {
        unlink(slot);
        deleteFromTable(slot);
        size--;
        int last = size;
        if (slot != last) {
            pfns[slot] = pfns[last];
            translations[slot] = translations[last];
            older[slot] = older[last];
            newer[slot] = newer[last];
            if (older[slot] != NONE) {
                newer[older[slot]] = slot;
            } else {
                oldest = slot;
            }
            if (newer[slot] != NONE) {
                older[newer[slot]] = slot;
            } else {
                newest = slot;
            }
            for (int b = bucket(pfns[slot]); ; b = (b + 1) & mask) {
                if (table[b] == last + 1) {
                    table[b] = slot + 1;
                    break;
                }
            }
        }
    }

    /** Linear probing's backward-shift deletion of {@code slot}'s bucket. */
    private void deleteFromTable(int slot) {
        int b = bucket(pfns[slot]);
        while (table[b] != slot + 1) {
            b = (b + 1) & mask;
        }
        int hole = b;
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = bucket(pfns[table[j] - 1]);
            // move j back into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
    }
}
