package org.iommulab.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaOps;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Scheduler;
import org.iommulab.sim.TimerCallback;

/**
 * The loop of kernel/dma/map_benchmark.c (v5.11 on): the device's DMA mask is set to
 * {@code dmaBits}; each thread owns one buffer of {@code granule} contiguous pages and maps it,
 * waits the transfer delay, unmaps it and starts over, timing the map and the unmap call. Thread t
 * runs on CPU t mod CPUs; each loop also pays {@link Cost#MAPBENCH_LOOP} for its clock reads and
 * shared counters. A mapping error ends the thread, as the kernel's thread returns -ENOMEM.
 *
 * <p>Each loop is an I/O: it completes at the unmap (latency: map start to unmap end) and fails
 * when the map fails; a thread inside its delay holds one in flight. Differs from the kernel: the
 * delay leaves the CPU idle instead of spinning in {@code ndelay}, so with more threads than
 * CPUs another thread may run in it; the buffer is not written before mapping.
 *
 * <p>The same code runs in virtual time and on real threads ({@link
 * org.iommulab.nativebench.NativeMapBench}): each step is work posted to the thread's CPU, and
 * each thread keeps its own counters.
 */
public final class MapBench extends AbstractWorkload {

    private final MapBenchOptions options;
    private final List<BenchThread> threads = new ArrayList<>();

    public MapBench(MapBenchOptions options) {
        super("mapbench");
        this.options = options;
    }

    @Override
    protected void begin(Scheduler engine, Device... devices) {
        if (devices.length != 1) {
            throw new IllegalArgumentException("mapbench drives exactly one device; got " + devices.length);
        }
        if (engine.virtualTime() && options.delayNs() == 0 && engine.costs().ns(Cost.MAPBENCH_LOOP) == 0) {
            throw new IllegalArgumentException("mapbench with delayNs 0 needs " + Cost.MAPBENCH_LOOP.key()
                    + " > 0, or its loop takes no virtual time");
        }
        Device dev = devices[0];
        dev.setDmaMaskBits(options.dmaBits());
        SplittableRandom random = new SplittableRandom(options.seed());
        RandomPages pages = new RandomPages((long) options.memoryGiB() << 30, random);
        for (int t = 0; t < options.threads(); t++) {
            threads.add(new BenchThread(engine, t % engine.nrCpus(), dev, pages.contiguous(options.granule()), random.split()));
        }
        threads.forEach(BenchThread::start);
    }

    @Override
    public long inFlight() {
        return threads.stream().mapToLong(t -> t.counters.inFlight()).sum();
    }

    @Override
    public IoResult result() {
        IoCounters total = new IoCounters();
        threads.forEach(t -> t.counters.addTo(total));
        return total.snapshot(threads.stream().filter(t -> t.mapped).count());
    }

    /** The kernel module's statistics so far. */
    public MapBenchResult stats() {
        MapBenchStats total = new MapBenchStats();
        threads.forEach(t -> t.stats.addTo(total));
        return total.result();
    }

    /** One benchmark kthread, with counters of its own so that threads on real CPUs share none. */
    private final class BenchThread {
        private final IoCounters counters = new IoCounters();
        private final MapBenchStats stats = new MapBenchStats();
        private final Scheduler engine;
        private final int cpuId;
        private final Device dev;
        private final long phys;
        private final long size;
        private final SplittableRandom random;
        private final long jitterNs;
        private final TimerCallback loopFn = this::loop;
        private final TimerCallback mapFn = this::map;
        private final TimerCallback unmapFn = this::unmap;
        private boolean mapped;
        private long dma;
        private long startNs;
        private long mapCallNs;

        BenchThread(Scheduler engine, int cpuId, Device dev, long phys, SplittableRandom random) {
            this.engine = engine;
            this.cpuId = cpuId;
            this.dev = dev;
            this.phys = phys;
            this.random = random;
            // real threads have jitter of their own
            this.jitterNs = engine.virtualTime() ? engine.costs().ns(Cost.MAPBENCH_LOOP_JITTER) : 0;
            this.size = (long) options.granule() * RandomPages.PAGE_SIZE;
        }

        void start() {
            engine.post(cpuId, engine.cpu(cpuId).nowNs(), loopFn);
        }

        /** The loop's own work; the map starts the next event, the unmap the one after. */
        private void loop(Cpu cpu) {
            if (stop.stopped()) {
                return;
            }
            cpu.spend(Cost.MAPBENCH_LOOP);
            engine.post(cpuId, cpu.nowNs() + (jitterNs == 0 ? 0 : random.nextLong(jitterNs + 1)), mapFn);
        }

        private void map(Cpu cpu) {
            counters.submit();
            startNs = cpu.nowNs();
            dma = dev.dmaOps().mapPage(cpu, dev, phys, size, options.dir(), 0);
            mapCallNs = cpu.nowNs() - startNs;
            if (dma == DmaOps.DMA_MAPPING_ERROR) {
                counters.mapError();
                counters.failMapping();
                return;
            }
            mapped = true;
            engine.post(cpuId, cpu.nowNs() + options.delayNs(), unmapFn);
        }

        private void unmap(Cpu cpu) {
            long unmapStart = cpu.nowNs();
            dev.dmaOps().unmapPage(cpu, dev, dma, size, options.dir(), 0);
            long end = cpu.nowNs();
            mapped = false;
            stats.record(mapCallNs, end - unmapStart);
            counters.complete(size, end - startNs);
            engine.post(cpuId, end, loopFn);
        }
    }
}
