package org.iommulab.stats;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The stale window of every unmapped page (DESIGN.md, "The stale window"): the time from the unmap
 * that cleared its translation until the invalidation that leaves the device unable to reach it.
 * Platforms report both ends in IOVA page frames; this class pairs them, records each window in a
 * histogram and keeps the peak number of pages reachable after unmap. Thread-safe; a platform
 * that runs natively without it passes no tracker at all.
 */
public final class StaleWindowTracker {

    /** Unmapped, not yet invalidated pages: first pfn -> {page count, unmap time}. */
    private final TreeMap<Long, long[]> pending = new TreeMap<>();
    private final Histogram windowsNs = new Histogram(3);
    private long pendingPages;
    private long peakPendingPages;
    private long maxWindowNs;

    /** {@code pages} pages from {@code iovaPfn} lost their translation at {@code nowNs}. */
    public synchronized void unmapped(long nowNs, long iovaPfn, long pages) {
        long[] old = pending.put(iovaPfn, new long[] {pages, nowNs});
        if (old != null) {
            throw new IllegalStateException("pfn " + iovaPfn + " unmapped twice before an invalidation");
        }
        pendingPages += pages;
        peakPendingPages = Math.max(peakPendingPages, pendingPages);
    }

    /** The device can no longer reach {@code [firstPfn, firstPfn + pages)} from {@code nowNs} on. */
    public synchronized void invalidated(long nowNs, long firstPfn, long pages) {
        long last = firstPfn + pages - 1;
        Long from = pending.floorKey(firstPfn);
        Map<Long, long[]> range = pending.subMap(from == null ? firstPfn : from, true, last, true);
        Iterator<Map.Entry<Long, long[]>> it = range.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, long[]> e = it.next();
            long start = e.getKey();
            long count = e.getValue()[0];
            long since = e.getValue()[1];
            long end = start + count - 1;
            if (end < firstPfn) {
                continue;
            }
            it.remove();
            long lo = Math.max(start, firstPfn);
            long hi = Math.min(end, last);
            record(nowNs - since, hi - lo + 1);
            if (start < lo) {
                pending.put(start, new long[] {lo - start, since});
            }
            if (end > hi) {
                pending.put(hi + 1, new long[] {end - hi, since});
            }
        }
    }

    /** The device can no longer reach any unmapped page from {@code nowNs} on (a global flush). */
    public synchronized void invalidatedAll(long nowNs) {
        for (long[] e : pending.values()) {
            record(nowNs - e[1], e[0]);
        }
        pending.clear();
    }

    private void record(long windowNs, long pages) {
        long ns = Math.max(0, windowNs);
        windowsNs.recordValueWithCount(ns, pages);
        maxWindowNs = Math.max(maxWindowNs, ns);
        pendingPages -= pages;
    }

    /** Pages unmapped but still reachable now. */
    public synchronized long pendingPages() {
        return pendingPages;
    }

    /** The most pages that were unmapped but reachable at any one time. */
    public synchronized long peakPendingPages() {
        return peakPendingPages;
    }

    /** The longest closed window, exact (the histogram keeps 3 significant digits), in ns. */
    public synchronized long maxWindowNs() {
        return maxWindowNs;
    }

    /** Every closed window, one count per page, in ns. */
    public synchronized Histogram windowsNs() {
        return windowsNs;
    }
}
