package org.iommulab.nativebench;

import org.HdrHistogram.Histogram;
import org.iommulab.workload.IoResult;
import org.iommulab.workload.MapBench;
import org.iommulab.workload.MapBenchOptions;
import org.iommulab.workload.MapBenchResult;

/**
 * The loop of kernel/dma/map_benchmark.c on real threads: the {@link MapBench} workload of the
 * simulator, run on the setup's {@link org.iommulab.sim.threads.NativeEngine}, one thread per CPU.
 * The map and unmap calls are timed on the monotonic clock into each benchmark thread's own
 * histogram, merged at the end, so the timing adds no shared state; the transfer delay spins, as
 * {@code ndelay} does.
 *
 * <p>Differs from the kernel: latencies are kept in ns rather than in units of 100 ns, and the
 * threads are not bound to a NUMA node.
 */
public final class NativeMapBench {

    private NativeMapBench() {}

    /**
     * Runs {@code options.threads()} threads on {@code setup} for {@code durationNs}, then lets
     * each finish its loop.
     *
     * @throws IllegalArgumentException when the setup has fewer CPUs than threads
     */
    public static NativeBenchResult run(NativeSetup setup, MapBenchOptions options, long durationNs)
            throws InterruptedException {
        if (setup.engine().nrCpus() < options.threads()) {
            throw new IllegalArgumentException(options.threads() + " threads need as many CPUs; the machine has "
                    + setup.engine().nrCpus());
        }
        MapBench bench = new MapBench(options);
        bench.start(setup.engine(), setup.device());
        long start = System.nanoTime();
        setup.engine().run(durationNs, bench::stop);
        long elapsed = System.nanoTime() - start;
        MapBenchResult stats = bench.stats();
        IoResult io = bench.result();
        Histogram map = stats.mapNs();
        Histogram unmap = stats.unmapNs();
        return new NativeBenchResult(options, durationNs, elapsed, stats.loops(), io.mapErrors(),
                map.getMean(), map.getStdDeviation(), unmap.getMean(), unmap.getStdDeviation(),
                FlushCounts.of(setup.ops(), setup.machine()));
    }
}
