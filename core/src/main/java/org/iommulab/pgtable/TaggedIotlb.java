package org.iommulab.pgtable;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The hardware IOTLB of one IOMMU unit (a VT-d unit, an SMMUv3's TLB): translations the device
 * side cached from the tables, tagged with the domain's id (VT-d's domain id, the SMMU's ASID),
 * evicted least-recently-used when full. It caches present entries only, so a new mapping needs no
 * invalidation, but a cleared entry stays reachable through its cached copy until an invalidation
 * removes it. Thread-safe: the hardware serialises lookups against invalidations.
 */
public final class TaggedIotlb {

    private final int capacity;
    private final LinkedHashMap<Tag, Long> entries;
    private long hits;
    private long misses;
    private long invalidations;

    public TaggedIotlb(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The cached entry for {@code pfn} in domain {@code did}, or 0 on a miss. */
    public synchronized long lookup(int did, long pfn) {
        Long pte = entries.get(new Tag(did, pfn));
        if (pte == null) {
            misses++;
            return 0;
        }
        hits++;
        return pte;
    }

    /** The invalidation count, to pass to {@link #fill} after a walk. */
    public synchronized long invalidations() {
        return invalidations;
    }

    /**
     * Caches {@code pte}, which a walk found present, evicting the least recently used entry;
     * dropped if an invalidation ran since {@code invalidationsBefore}, as the hardware's
     * invalidation wait covers walks in flight, so a walk that raced with one cannot cache what it
     * removed.
     */
    public synchronized void fill(int did, long pfn, long pte, long invalidationsBefore) {
        if (invalidations != invalidationsBefore) {
            return;
        }
        entries.put(new Tag(did, pfn), pte);
        if (entries.size() > capacity) {
            Iterator<Tag> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** Page-selective invalidation: drops {@code pages} pages of {@code did} from {@code firstPfn}. */
    public synchronized void invalidatePages(int did, long firstPfn, long pages) {
        invalidations++;
        if (pages <= entries.size()) {
            for (long i = 0; i < pages; i++) {
                entries.remove(new Tag(did, firstPfn + i));
            }
            return;
        }
        entries.keySet().removeIf(t -> t.did == did && t.pfn - firstPfn >= 0 && t.pfn - firstPfn < pages);
    }

    /** Domain-selective invalidation. */
    public synchronized void invalidateDomain(int did) {
        invalidations++;
        entries.keySet().removeIf(t -> t.did == did);
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    /** An IOTLB tag: domain id and IOVA page frame. */
    private record Tag(int did, long pfn) {}
}
