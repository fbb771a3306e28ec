package org.iommulab.stats;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The stale window of a run (docs/model.md, "The stale window"): percentiles of the per-page windows
 * from {@link StaleWindowTracker}'s histogram (3 significant digits), the exact maximum, and the
 * peak number of pages reachable after unmap.
 *
 * <p>Windows still open when the run ends are censored data: they count at their age at the end,
 * and then every figure is only a lower bound of the true one ({@code lowerBound}). A run that
 * unmapped nothing has no figures at all (null), never a window of 0.
 *
 * @param p50Ns median window, null when no page was unmapped
 * @param p99Ns 99th percentile, null when no page was unmapped
 * @param maxNs the longest window, exact, null when no page was unmapped
 * @param pages closed windows, one per page
 * @param stillOpenPages pages unmapped but not yet invalidated when the run ended
 * @param lowerBound true when open pages were counted at their age, so the true figures are larger
 */
public record StaleWindow(Long p50Ns, Long p99Ns, Long maxNs, long pages, long peakPages, long stillOpenPages,
        boolean lowerBound) {

    /** A run that unmapped nothing, or that tracked no windows. */
    public static final StaleWindow NONE = new StaleWindow(null, null, null, 0, 0, 0, false);

    /** The windows {@code tracker} has seen by {@code endNs}, open ones counted at their age then. */
    public static StaleWindow at(StaleWindowTracker tracker, long endNs) {
        long open = tracker.pendingPages();
        StaleWindowTracker.Censored censored = tracker.censoredAt(endNs);
        Histogram h = censored.windowsNs();
        if (h.getTotalCount() == 0) {
            return new StaleWindow(null, null, null, 0, tracker.peakPendingPages(), 0, false);
        }
        long max = Math.max(tracker.maxWindowNs(), censored.oldestOpenNs());
        // A percentile is the top of its histogram bucket, which can lie above the exact maximum.
        return new StaleWindow(Math.min(h.getValueAtPercentile(50), max), Math.min(h.getValueAtPercentile(99), max),
                max, tracker.windowsNs().getTotalCount(), tracker.peakPendingPages(), open, open > 0);
    }

    Map<String, Object> toMap() {
        return new JsonMap()
                .put("p50", p50Ns)
                .put("p99", p99Ns)
                .put("max", maxNs)
                .put("lowerBound", lowerBound)
                .put("pages", pages)
                .put("stillOpenPages", stillOpenPages)
                .map();
    }
}
