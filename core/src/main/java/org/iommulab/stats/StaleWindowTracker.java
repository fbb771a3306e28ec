package org.iommulab.stats;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.iommulab.iommu.IommuTrace;

/**
 * The stale window of every unmapped page (docs/model.md, "The stale window"): the time from the unmap
 * that cleared its translation until the invalidation that leaves the device unable to reach it.
 * Platforms report both ends in IOVA page frames; this class pairs them, records each window in a
 * histogram and keeps the peak number of pages reachable after unmap. Thread-safe; a platform
 * that runs natively without it passes no tracker at all.
 *
 * <p>It sits on every unmap and flush of a simulated run, so it keeps the pending pages in
 * primitive arrays: the IOVA page space in chunks of {@value #CHUNK_PAGES} pages, each a bitmap of
 * pending pages and their unmap times, found through a small open-addressing table. Unmapping and
 * invalidating cost a few word operations per page, a ranged invalidation skips empty chunks and
 * bitmap words, and pages closed together with the same unmap time go into the histogram as one
 * record. Chunks stay allocated once used: a run touches a bounded IOVA footprint.
 */
public final class StaleWindowTracker implements IommuTrace {

    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK_PAGES = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_PAGES - 1;
    private static final int WORDS = CHUNK_PAGES / Long.SIZE;

    private final Histogram windowsNs = new Histogram(3);
    private final Timeline timeline = new Timeline();
    private final List<Chunk> chunks = new ArrayList<>();
    private long[] tableKeys = new long[64];
    private Chunk[] tableChunks = new Chunk[64];
    private Chunk lastChunk;
    private long pendingPages;
    private long peakPendingPages;
    private long maxWindowNs;
    /** The run of closed pages with one unmap time not yet put into the histogram. */
    private long runSince;
    private long runPages;
    /** Whether a flush may be lost, so a page may be unmapped again before it was ever invalidated. */
    private boolean flushesMayBeLost;

    /** Pages {@code [index << CHUNK_SHIFT, +CHUNK_PAGES)}: which are pending and since when. */
    private static final class Chunk {
        final long index;
        final long[] pending = new long[WORDS];
        final long[] since = new long[CHUNK_PAGES];
        int pendingPages;

        Chunk(long index) {
            this.index = index;
        }
    }

    /**
     * From now on a flush may be lost (an injected RPCIT or virtio-iommu failure the guest does not
     * retry), so a page may be reused and unmapped again before any invalidation reached it: its
     * window then runs on from its first unmap, since the device may still reach the first page.
     * Without this, such an unmap is a model bug and throws.
     */
    public synchronized void expectLostFlushes() {
        flushesMayBeLost = true;
    }

    /** {@code pages} pages from {@code iovaPfn} lost their translation at {@code nowNs}. */
    @Override
    public synchronized void unmapped(long nowNs, long iovaPfn, long pages) {
        if (pages < 0 || iovaPfn < 0) {
            throw new IllegalArgumentException("unmap of " + pages + " pages at pfn " + iovaPfn + "; both must be >= 0");
        }
        long added = 0;
        for (long pfn = iovaPfn; pfn < iovaPfn + pages; pfn++) {
            Chunk c = chunk(pfn >>> CHUNK_SHIFT, true);
            int page = (int) (pfn & CHUNK_MASK);
            long bit = 1L << page;
            if ((c.pending[page >>> 6] & bit) != 0) {
                if (!flushesMayBeLost) {
                    throw new IllegalStateException("pfn " + pfn + " unmapped twice before an invalidation");
                }
                continue;
            }
            c.pending[page >>> 6] |= bit;
            c.since[page] = nowNs;
            c.pendingPages++;
            added++;
        }
        pendingPages += added;
        peakPendingPages = Math.max(peakPendingPages, pendingPages);
        timeline.pending(nowNs, pendingPages);
    }

    /** The device can no longer reach {@code [firstPfn, firstPfn + pages)} from {@code nowNs} on. */
    @Override
    public synchronized void invalidated(long nowNs, long firstPfn, long pages) {
        timeline.invalidation(nowNs);
        if (pages <= 0 || pendingPages == 0) {
            return;
        }
        long first = Math.max(0, firstPfn);
        long last = pages > Long.MAX_VALUE - firstPfn ? Long.MAX_VALUE : firstPfn + pages - 1;
        if (last < first) {
            return;
        }
        long firstChunk = first >>> CHUNK_SHIFT;
        long lastChunkIndex = last >>> CHUNK_SHIFT;
        if (lastChunkIndex - firstChunk >= chunks.size()) {
            for (Chunk c : chunks) {
                if (c.index >= firstChunk && c.index <= lastChunkIndex) {
                    close(nowNs, c, first, last);
                }
            }
        } else {
            for (long i = firstChunk; i <= lastChunkIndex; i++) {
                Chunk c = chunk(i, false);
                if (c != null) {
                    close(nowNs, c, first, last);
                }
            }
        }
        flushRun(nowNs);
    }

    /** The device can no longer reach any unmapped page from {@code nowNs} on (a global flush). */
    @Override
    public synchronized void invalidatedAll(long nowNs) {
        timeline.invalidation(nowNs);
        if (pendingPages == 0) {
            return;
        }
        for (Chunk c : chunks) {
            close(nowNs, c, 0, Long.MAX_VALUE);
        }
        flushRun(nowNs);
    }

    /** Closes the pending pages of {@code c} within {@code [first, last]}. */
    private void close(long nowNs, Chunk c, long first, long last) {
        if (c.pendingPages == 0) {
            return;
        }
        long base = c.index << CHUNK_SHIFT;
        int lo = (int) (Math.max(first, base) - base);
        int hi = (int) (Math.min(last, base + CHUNK_MASK) - base);
        for (int w = lo >>> 6; w <= hi >>> 6; w++) {
            long word = c.pending[w];
            if (word == 0) {
                continue;
            }
            long mask = -1L;
            if (w == lo >>> 6) {
                mask &= -1L << (lo & 63);
            }
            if (w == hi >>> 6) {
                mask &= -1L >>> (63 - (hi & 63));
            }
            long hit = word & mask;
            if (hit == 0) {
                continue;
            }
            c.pending[w] = word & ~hit;
            int closed = Long.bitCount(hit);
            c.pendingPages -= closed;
            pendingPages -= closed;
            while (hit != 0) {
                int page = (w << 6) + Long.numberOfTrailingZeros(hit);
                hit &= hit - 1;
                addToRun(nowNs, c.since[page]);
            }
        }
    }

    private void addToRun(long nowNs, long since) {
        if (runPages > 0 && since != runSince) {
            flushRun(nowNs);
        }
        runSince = since;
        runPages++;
    }

    private void flushRun(long nowNs) {
        if (runPages == 0) {
            return;
        }
        long ns = Math.max(0, nowNs - runSince);
        windowsNs.recordValueWithCount(ns, runPages);
        maxWindowNs = Math.max(maxWindowNs, ns);
        runPages = 0;
    }

    /** The chunk with this index; made if {@code create}, else null when there is none. */
    private Chunk chunk(long index, boolean create) {
        Chunk last = lastChunk;
        if (last != null && last.index == index) {
            return last;
        }
        int mask = tableChunks.length - 1;
        int slot = (int) mix(index) & mask;
        while (tableChunks[slot] != null) {
            if (tableKeys[slot] == index) {
                lastChunk = tableChunks[slot];
                return lastChunk;
            }
            slot = (slot + 1) & mask;
        }
        if (!create) {
            return null;
        }
        Chunk c = new Chunk(index);
        chunks.add(c);
        tableKeys[slot] = index;
        tableChunks[slot] = c;
        if (chunks.size() * 2 > tableChunks.length) {
            rehash();
        }
        lastChunk = c;
        return c;
    }

    private void rehash() {
        tableKeys = new long[tableKeys.length * 2];
        tableChunks = new Chunk[tableChunks.length * 2];
        int mask = tableChunks.length - 1;
        for (Chunk c : chunks) {
            int slot = (int) mix(c.index) & mask;
            while (tableChunks[slot] != null) {
                slot = (slot + 1) & mask;
            }
            tableKeys[slot] = c.index;
            tableChunks[slot] = c;
        }
    }

    /** Spreads chunk indexes, which are often consecutive, over the table (Stafford's mix 13). */
    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    /**
     * The closed windows plus every still-open page at its age at {@code endNs}: a censored
     * sample, whose percentiles and maximum are lower bounds of the true ones whenever a page is
     * still open. The tracker itself is left as it was.
     *
     * @return the histogram and the age of the oldest open page (0 when none is open)
     */
    public synchronized Censored censoredAt(long endNs) {
        Histogram all = windowsNs.copy();
        long oldest = 0;
        for (Chunk c : chunks) {
            if (c.pendingPages == 0) {
                continue;
            }
            for (int w = 0; w < WORDS; w++) {
                for (long bits = c.pending[w]; bits != 0; bits &= bits - 1) {
                    long age = Math.max(0, endNs - c.since[(w << 6) + Long.numberOfTrailingZeros(bits)]);
                    all.recordValue(age);
                    oldest = Math.max(oldest, age);
                }
            }
        }
        return new Censored(all, oldest);
    }

    /** Closed windows and open pages' ages together, and the oldest open page's age. */
    public record Censored(Histogram windowsNs, long oldestOpenNs) {
    }

    /** Pages unmapped but still reachable now. */
    /** Invalidations and pages reachable after unmap over the run, up to {@code endNs}. */
    public synchronized Timeline.Snapshot timeline(long endNs) {
        return timeline.snapshot(endNs);
    }

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
