package org.iommulab.workload;

import java.util.Locale;
import org.iommulab.config.Records;
import org.iommulab.config.Reference;
import org.iommulab.kernel.DmaDirection;

/**
 * The options of {@link MapBench}, as dma_map_benchmark takes them, with the kernel module's
 * limits: {@code threads} (-t, 1..1024), {@code granule} in pages (-g, 1..1024), direction (-d:
 * bidirectional, to device or from device), the transfer delay in ns (-x, at most 10 ms) and the
 * DMA mask bits (-b, 20..64); plus the memory the threads' buffers are placed in and the seed.
 * The run's length (-s) is the engine's, not an option here.
 */
public record MapBenchOptions(int threads, int granule, DmaDirection dir, long delayNs, int dmaBits,
        int memoryGiB, long seed) {

    /** {@code DMA_MAP_MAX_THREADS}. */
    public static final int MAX_THREADS = 1024;
    public static final int MAX_GRANULE = 1024;
    /** {@code DMA_MAP_MAX_TRANS_DELAY}: 10 ms. */
    public static final long MAX_TRANS_DELAY_NS = 10_000_000;
    public static final int MIN_DMA_BITS = 20;
    public static final int MAX_DMA_BITS = 64;

    public MapBenchOptions {
        OptionRange.requireRange("mapbench threads", threads, 1, MAX_THREADS);
        OptionRange.requireRange("mapbench granule", granule, 1, MAX_GRANULE);
        if (dir == null || dir == DmaDirection.NONE) {
            throw new IllegalArgumentException(
                    "mapbench dir " + dir + " is not allowed; allowed BIDIRECTIONAL, TO_DEVICE, FROM_DEVICE");
        }
        OptionRange.requireRange("mapbench delayNs", delayNs, 0, MAX_TRANS_DELAY_NS);
        OptionRange.requireRange("mapbench dmaBits", dmaBits, MIN_DMA_BITS, MAX_DMA_BITS);
        OptionRange.requireRange("mapbench memoryGiB", memoryGiB, 1, FioOptions.MAX_MEMORY_GIB);
    }

    /** The tool's defaults: one thread, one page, bidirectional, no delay, 32-bit mask; 16 GiB. */
    public static MapBenchOptions defaults() {
        Reference.Section m = Reference.section("workloads", "mapbench");
        return new MapBenchOptions(m.integer("threads"), m.integer("granule"),
                DmaDirection.valueOf(m.text("dir").toUpperCase(Locale.ROOT)), m.integer("delayNs"), m.integer("dmaBits"),
                Reference.integer("machine", "guestMemoryGiB"), Reference.integer("machine", "seed"));
    }

    public MapBenchOptions withThreads(int n) {
        return Records.with(this, "threads", n);
    }

    public MapBenchOptions withGranule(int n) {
        return Records.with(this, "granule", n);
    }

    public MapBenchOptions withDir(DmaDirection d) {
        return Records.with(this, "dir", d);
    }

    public MapBenchOptions withDelayNs(long ns) {
        return Records.with(this, "delayNs", ns);
    }

    public MapBenchOptions withDmaBits(int bits) {
        return Records.with(this, "dmaBits", bits);
    }

    public MapBenchOptions withSeed(long s) {
        return Records.with(this, "seed", s);
    }
}
