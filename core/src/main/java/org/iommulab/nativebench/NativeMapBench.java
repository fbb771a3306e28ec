package org.iommulab.nativebench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaOps;
import org.iommulab.sim.Cpu;
import org.iommulab.workload.MapBenchOptions;

/**
 * The loop of kernel/dma/map_benchmark.c on real threads: each benchmark thread owns one CPU of
 * the native engine and one buffer of {@code granule} contiguous pages, and maps it
 * ({@code dma_map_single}), busy-waits the transfer delay ({@code ndelay}), unmaps it, until the
 * run's time is up. Each map and unmap call is timed with {@link System#nanoTime} into the
 * thread's own histogram, merged at the end, so the timing adds no shared state. Every thread
 * completes at least one loop, however late it was scheduled. A mapping error ends its thread, as
 * the kernel thread returns -ENOMEM.
 *
 * <p>Differs from the kernel: latencies are kept in ns rather than in units of 100 ns, and the
 * threads are not bound to a NUMA node.
 */
public final class NativeMapBench {

    private static final long PAGE_SIZE = 4096;
    /** Where the threads' buffers start: above 4 GiB, so no buffer is mistaken for an IOVA. */
    private static final long BUFFER_BASE = 0x1_0000_0000L;

    private NativeMapBench() {}

    /**
     * Runs {@code options.threads()} threads on {@code setup} for {@code durationNs}.
     *
     * @throws IllegalArgumentException when the setup has fewer CPUs than threads
     */
    public static NativeBenchResult run(NativeSetup setup, MapBenchOptions options, long durationNs)
            throws InterruptedException {
        if (setup.engine().nrCpus() < options.threads()) {
            throw new IllegalArgumentException(options.threads() + " threads need as many CPUs; the machine has "
                    + setup.engine().nrCpus());
        }
        Device dev = setup.device();
        dev.setDmaMaskBits(options.dmaBits());
        CountDownLatch go = new CountDownLatch(1);
        long[] start = new long[1];
        List<BenchThread> threads = new ArrayList<>();
        for (int t = 0; t < options.threads(); t++) {
            long phys = BUFFER_BASE + (long) t * options.granule() * PAGE_SIZE;
            BenchThread b = new BenchThread(setup.engine().cpu(t), dev, phys, options, go, start, durationNs);
            threads.add(b);
            b.thread.start();
        }
        start[0] = System.nanoTime();
        go.countDown();
        for (BenchThread b : threads) {
            b.thread.join();
        }
        long elapsed = System.nanoTime() - start[0];
        Histogram map = new Histogram(3);
        Histogram unmap = new Histogram(3);
        long errors = 0;
        for (BenchThread b : threads) {
            if (b.failure != null) {
                throw b.failure;
            }
            map.add(b.map);
            unmap.add(b.unmap);
            errors += b.mapErrors;
        }
        return new NativeBenchResult(options, durationNs, elapsed, unmap.getTotalCount(), errors,
                map.getMean(), map.getStdDeviation(), unmap.getMean(), unmap.getStdDeviation(),
                FlushCounts.of(setup.ops(), setup.machine()));
    }

    /** One benchmark kthread. */
    private static final class BenchThread implements Runnable {
        final Thread thread;
        final Histogram map = new Histogram(3);
        final Histogram unmap = new Histogram(3);
        private final Cpu cpu;
        private final Device dev;
        private final long phys;
        private final MapBenchOptions options;
        private final CountDownLatch go;
        private final long[] start;
        private final long durationNs;
        long mapErrors;
        RuntimeException failure;

        BenchThread(Cpu cpu, Device dev, long phys, MapBenchOptions options, CountDownLatch go, long[] start,
                long durationNs) {
            this.cpu = cpu;
            this.dev = dev;
            this.phys = phys;
            this.options = options;
            this.go = go;
            this.start = start;
            this.durationNs = durationNs;
            this.thread = new Thread(this, "dma-map-benchmark-" + cpu.id());
        }

        @Override
        public void run() {
            try {
                go.await();
                loop(start[0] + durationNs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        private void loop(long deadline) {
            DmaOps ops = dev.dmaOps();
            long size = options.granule() * PAGE_SIZE;
            do {
                long t0 = System.nanoTime();
                long dma = ops.mapPage(cpu, dev, phys, size, options.dir(), 0);
                long t1 = System.nanoTime();
                if (dma == DmaOps.DMA_MAPPING_ERROR) {
                    mapErrors++;
                    return;
                }
                busyWait(options.delayNs());
                long t2 = System.nanoTime();
                ops.unmapPage(cpu, dev, dma, size, options.dir(), 0);
                long t3 = System.nanoTime();
                map.recordValue(t1 - t0);
                unmap.recordValue(t3 - t2);
            } while (System.nanoTime() < deadline);
        }
    }

    /** {@code ndelay}: spins, as the kernel thread does, keeping its CPU busy. */
    static void busyWait(long ns) {
        if (ns <= 0) {
            return;
        }
        long until = System.nanoTime() + ns;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
