package org.iommulab.workload;

import java.math.BigDecimal;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What dma_map_benchmark reports ({@code struct map_benchmark}): the loops run, the mean and the
 * standard deviation of the map and the unmap call in units of 100 ns, plus the full
 * distributions in ns.
 *
 * @param mapNs a copy owned by this result
 * @param unmapNs a copy owned by this result
 */
public record MapBenchResult(long loops, long avgMap100ns, long mapStddev100ns, long avgUnmap100ns,
        long unmapStddev100ns, Histogram mapNs, Histogram unmapNs) {

    private static final String[] DIRECTIONS = {"BIDIRECTIONAL", "TO_DEVICE", "FROM_DEVICE"};

    /**
     * The three lines the user tool prints: its header, then the mean map and unmap latency in us
     * with their standard deviations. The header's seconds are the run's virtual seconds; node is
     * always -1 (no NUMA in the model).
     */
    public String report(MapBenchOptions options, long durationNs) {
        String seconds = BigDecimal.valueOf(durationNs, 9).stripTrailingZeros().toPlainString();
        return String.format(Locale.ROOT,
                "dma mapping benchmark: threads:%d seconds:%s node:-1 dir:%s granule: %d%n"
                        + "average map latency(us):%.1f standard deviation:%.1f%n"
                        + "average unmap latency(us):%.1f standard deviation:%.1f%n",
                options.threads(), seconds, DIRECTIONS[options.dir().ordinal()], options.granule(),
                avgMap100ns / 10.0, mapStddev100ns / 10.0, avgUnmap100ns / 10.0, unmapStddev100ns / 10.0);
    }
}
