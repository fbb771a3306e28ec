package org.iommulab.stats;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The stale window of a run (docs/model.md, "The stale window"): percentiles of the per-page windows
 * from {@link StaleWindowTracker}'s histogram (3 significant digits), the exact maximum, and the
 * peak number of pages reachable after unmap.
 *
 * @param pages closed windows, one per page
 * @param stillOpenPages pages unmapped but not yet invalidated when the run ended
 */
public record StaleWindow(long p50Ns, long p99Ns, long maxNs, long pages, long peakPages, long stillOpenPages) {

    /** A run that unmapped nothing, or that tracked no windows. */
    public static final StaleWindow NONE = new StaleWindow(0, 0, 0, 0, 0, 0);

    /** The windows {@code tracker} has seen so far. */
    public static StaleWindow from(StaleWindowTracker tracker) {
        Histogram h = tracker.windowsNs();
        long count = h.getTotalCount();
        if (count == 0) {
            return new StaleWindow(0, 0, 0, 0, tracker.peakPendingPages(), tracker.pendingPages());
        }
        long max = tracker.maxWindowNs();
        // A percentile is the top of its histogram bucket, which can lie above the exact maximum.
        return new StaleWindow(Math.min(h.getValueAtPercentile(50), max), Math.min(h.getValueAtPercentile(99), max),
                max, count, tracker.peakPendingPages(), tracker.pendingPages());
    }

    Map<String, Object> toMap() {
        return new JsonMap()
                .put("p50", p50Ns)
                .put("p99", p99Ns)
                .put("max", maxNs)
                .put("pages", pages)
                .put("stillOpenPages", stillOpenPages)
                .map();
    }
}
