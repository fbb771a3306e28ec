package org.iommulab.stats;

import java.util.List;
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
 * @param cdfNs the window at each of {@link #CDF_PERCENTILES}, for a report's distribution chart;
 *     empty when no page was unmapped. Not part of a result's JSON, whose figures are the above
 */
public record StaleWindow(Long p50Ns, Long p99Ns, Long maxNs, long pages, long peakPages, long stillOpenPages,
        boolean lowerBound, List<Long> cdfNs) {

    /** The percentiles {@link #cdfNs} holds the windows at. */
    public static final List<Double> CDF_PERCENTILES = List.of(1.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0,
            80.0, 90.0, 95.0, 99.0, 99.9, 100.0);

    /** A run that unmapped nothing, or that tracked no windows. */
    public static final StaleWindow NONE = new StaleWindow(null, null, null, 0, 0, 0, false, List.of());

    public StaleWindow {
        cdfNs = List.copyOf(cdfNs);
    }

    /** A window without its distribution. */
    public StaleWindow(Long p50Ns, Long p99Ns, Long maxNs, long pages, long peakPages, long stillOpenPages,
            boolean lowerBound) {
        this(p50Ns, p99Ns, maxNs, pages, peakPages, stillOpenPages, lowerBound, List.of());
    }

    /** The windows {@code tracker} has seen by {@code endNs}, open ones counted at their age then. */
    public static StaleWindow at(StaleWindowTracker tracker, long endNs) {
        long open = tracker.pendingPages();
        StaleWindowTracker.Censored censored = tracker.censoredAt(endNs);
        Histogram h = censored.windowsNs();
        if (h.getTotalCount() == 0) {
            return new StaleWindow(null, null, null, 0, tracker.peakPendingPages(), 0, false, List.of());
        }
        long max = Math.max(tracker.maxWindowNs(), censored.oldestOpenNs());
        // A percentile is the top of its histogram bucket, which can lie above the exact maximum.
        List<Long> cdf = CDF_PERCENTILES.stream().map(p -> Math.min(h.getValueAtPercentile(p), max)).toList();
        return new StaleWindow(Math.min(h.getValueAtPercentile(50), max), Math.min(h.getValueAtPercentile(99), max),
                max, tracker.windowsNs().getTotalCount(), tracker.peakPendingPages(), open, open > 0, cdf);
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
