package org.iommulab.workload;

import org.HdrHistogram.Histogram;

/**
 * Per-call latencies of dma_map_benchmark: as the kernel module keeps them (sums and sums of
 * squares in units of 100 ns, truncated per call, giving an integer mean and standard deviation)
 * and as HdrHistograms in ns for percentiles. One per benchmark thread, added up when read, so
 * threads on real CPUs share nothing.
 */
final class MapBenchStats {

    private final Histogram mapNs = new Histogram(3);
    private final Histogram unmapNs = new Histogram(3);
    private long loops;
    private long sumMap100ns;
    private long sumSqMap;
    private long sumUnmap100ns;
    private long sumSqUnmap;

    /** One full loop: a map and an unmap call of these durations. */
    void record(long mapCallNs, long unmapCallNs) {
        long map100ns = mapCallNs / 100;
        long unmap100ns = unmapCallNs / 100;
        sumMap100ns += map100ns;
        sumSqMap += map100ns * map100ns;
        sumUnmap100ns += unmap100ns;
        sumSqUnmap += unmap100ns * unmap100ns;
        loops++;
        mapNs.recordValue(mapCallNs);
        unmapNs.recordValue(unmapCallNs);
    }

    /** Adds this thread's counters into {@code total}. */
    void addTo(MapBenchStats total) {
        total.mapNs.add(mapNs);
        total.unmapNs.add(unmapNs);
        total.loops += loops;
        total.sumMap100ns += sumMap100ns;
        total.sumSqMap += sumSqMap;
        total.sumUnmap100ns += sumUnmap100ns;
        total.sumSqUnmap += sumSqUnmap;
    }

    /** The counters now. */
    MapBenchResult result() {
        if (loops == 0) {
            return new MapBenchResult(0, 0, 0, 0, 0, mapNs.copy(), unmapNs.copy());
        }
        long avgMap = sumMap100ns / loops;
        long avgUnmap = sumUnmap100ns / loops;
        return new MapBenchResult(loops, avgMap, isqrt(sumSqMap / loops - avgMap * avgMap), avgUnmap,
                isqrt(sumSqUnmap / loops - avgUnmap * avgUnmap), mapNs.copy(), unmapNs.copy());
    }

    /** {@code int_sqrt64}: the integer square root, rounded down. */
    private static long isqrt(long x) {
        long r = (long) Math.sqrt((double) x);
        while (r * r > x) {
            r--;
        }
        while ((r + 1) * (r + 1) <= x) {
            r++;
        }
        return r;
    }
}
