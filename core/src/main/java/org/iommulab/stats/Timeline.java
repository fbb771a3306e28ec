package org.iommulab.stats;

import java.util.Arrays;

/**
 * A run over time in a fixed number of buckets: the invalidations issued in each and the most pages
 * still reachable after unmap at any moment of it. Buckets start 1 ms wide and double, pairs merged,
 * whenever the run outgrows them, so memory stays fixed however long the run is. Not thread-safe:
 * its owner ({@link StaleWindowTracker}) calls it under its lock.
 */
public final class Timeline {

    /** Buckets kept; a run of T ns ends with buckets between T/256 and T/128 ns wide. */
    public static final int BUCKETS = 256;

    private long widthNs = 1_000_000;
    private final long[] invalidations = new long[BUCKETS];
    private final long[] peakPending = new long[BUCKETS];

    /** One invalidation (of a range or of everything) issued at {@code nowNs}. */
    void invalidation(long nowNs) {
        invalidations[bucket(nowNs)]++;
    }

    /** {@code pages} pages reachable after unmap at {@code nowNs}. */
    void pending(long nowNs, long pages) {
        int b = bucket(nowNs);
        peakPending[b] = Math.max(peakPending[b], pages);
    }

    private int bucket(long nowNs) {
        long t = Math.max(0, nowNs);
        while (t / widthNs >= BUCKETS) {
            for (int i = 0; i < BUCKETS / 2; i++) {
                invalidations[i] = invalidations[2 * i] + invalidations[2 * i + 1];
                peakPending[i] = Math.max(peakPending[2 * i], peakPending[2 * i + 1]);
            }
            Arrays.fill(invalidations, BUCKETS / 2, BUCKETS, 0);
            Arrays.fill(peakPending, BUCKETS / 2, BUCKETS, 0);
            widthNs *= 2;
        }
        return (int) (t / widthNs);
    }

    /** What the timeline holds up to {@code endNs}. */
    public Snapshot snapshot(long endNs) {
        int used = (int) Math.min(BUCKETS, Math.max(0, endNs) / widthNs + 1); // the bucket endNs falls in too
        return new Snapshot(widthNs, Arrays.copyOf(invalidations, used), Arrays.copyOf(peakPending, used));
    }

    /**
     * @param widthNs each bucket's width
     * @param invalidations invalidations issued in each bucket
     * @param peakPendingPages the most pages reachable after unmap within each bucket
     */
    public record Snapshot(long widthNs, long[] invalidations, long[] peakPendingPages) {}
}
