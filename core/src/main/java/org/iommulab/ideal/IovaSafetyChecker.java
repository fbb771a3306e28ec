package org.iommulab.ideal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.ReservedRegion;

/**
 * Watches one domain's page table from the driver's side and records every break of the DMA
 * layer's invariants (docs/model.md, "Safety invariants"):
 *
 * <ul>
 *   <li>an IOVA page is mapped again only after a flush that started after its unmap has finished
 *       (otherwise the device could still reach the old buffer through a stale IOTLB entry);
 *   <li>a page is never mapped twice at once (allocated ranges never overlap), nor unmapped when
 *       not mapped;
 *   <li>every mapped page lies inside the aperture and outside the reserved regions.
 * </ul>
 *
 * Events are numbered in the order the checker sees them; a flush covers the unmaps numbered
 * before its start. Synchronized, so it serialises the driver: for tests, not benchmarks.
 */
public final class IovaSafetyChecker {

    private static final int MAX_MESSAGES = 20;

    private final DomainGeometry geometry;
    private final List<ReservedRegion> reserved;
    private final long granule;
    private final Set<Long> mapped = new HashSet<>();
    /** Unmapped page -> sequence number of its unmap, until a covering flush finishes. */
    private final Map<Long, Long> stale = new HashMap<>();
    private final List<String> messages = new ArrayList<>();
    private long seq;
    private long violations;
    private long reusesChecked;

    public IovaSafetyChecker(DomainGeometry geometry, List<ReservedRegion> reserved, long pgsizeBitmap) {
        this.geometry = geometry;
        this.reserved = List.copyOf(reserved);
        this.granule = Long.lowestOneBit(pgsizeBitmap);
    }

    /** {@code [iova, iova+size)} is being mapped. */
    public synchronized void mapped(long iova, long size) {
        seq++;
        if (Long.compareUnsigned(iova, geometry.apertureStart()) < 0
                || Long.compareUnsigned(iova + size - 1, geometry.apertureEnd()) > 0) {
            violation("map 0x" + Long.toHexString(iova) + "+0x" + Long.toHexString(size) + " outside the aperture");
        }
        for (ReservedRegion r : reserved) {
            if (Long.compareUnsigned(iova, r.end()) <= 0 && Long.compareUnsigned(iova + size - 1, r.start()) >= 0) {
                violation("map 0x" + Long.toHexString(iova) + " inside reserved region " + r);
            }
        }
        for (long off = 0; off < size; off += granule) {
            long page = (iova + off) / granule;
            if (!mapped.add(page)) {
                violation("page 0x" + Long.toHexString(page) + " mapped twice (overlapping ranges)");
            }
            if (stale.remove(page) != null) {
                violation("page 0x" + Long.toHexString(page) + " reused before a flush covering its unmap finished");
            } else {
                reusesChecked++;
            }
        }
    }

    /** {@code [iova, iova+size)} lost its translations; the IOTLB may still hold them. */
    public synchronized void unmapped(long iova, long size) {
        long s = ++seq;
        for (long off = 0; off < size; off += granule) {
            long page = (iova + off) / granule;
            if (!mapped.remove(page)) {
                violation("page 0x" + Long.toHexString(page) + " unmapped while not mapped");
            }
            stale.put(page, s);
        }
    }

    /** A flush starts now; pass the result to {@link #flushFinished}. */
    public synchronized long flushStarted() {
        return ++seq;
    }

    /** The flush that started at {@code startSeq} has finished for {@code [first, last]}. */
    public synchronized void flushFinished(long startSeq, long first, long last) {
        long firstPage = Long.divideUnsigned(first, granule);
        long lastPage = Long.divideUnsigned(last, granule);
        Iterator<Map.Entry<Long, Long>> it = stale.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            long page = e.getKey();
            if (e.getValue() < startSeq && page >= firstPage && page <= lastPage) {
                it.remove();
            }
        }
    }

    private void violation(String message) {
        violations++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }

    /** How many times an invariant broke. */
    public synchronized long violations() {
        return violations;
    }

    /** The first few violations, for failure messages. */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /** Pages unmapped and not yet covered by a finished flush. */
    public synchronized int stalePages() {
        return stale.size();
    }

    /** Pages whose mapping was checked and found safe. */
    public synchronized long pagesChecked() {
        return reusesChecked;
    }
}
