package org.iommulab.nativebench;

import org.iommulab.workload.MapBenchOptions;

/**
 * What a native dma_map_benchmark run measured.
 *
 * @param durationNs the run time asked for
 * @param elapsedNs the run time taken, from the common start to the last thread's end
 * @param pairs map+unmap pairs completed over all threads
 * @param mapErrors maps that failed, each ending its thread
 * @param mapMeanNs mean {@code dma_map_single} latency
 * @param mapStddevNs its standard deviation
 */
public record NativeBenchResult(
        MapBenchOptions options,
        long durationNs,
        long elapsedNs,
        long pairs,
        long mapErrors,
        double mapMeanNs,
        double mapStddevNs,
        double unmapMeanNs,
        double unmapStddevNs,
        FlushCounts flushes) {

    /** Map+unmap pairs per second of elapsed time, all threads together. */
    public double pairsPerSec() {
        return elapsedNs == 0 ? 0 : pairs * 1e9 / elapsedNs;
    }
}
