package org.iommulab.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.iommulab.dma.DeferredFlush;
import org.iommulab.dma.DeferredFlushContext;
import org.iommulab.dma.FlushQueueCounters;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.ideal.PteLayout;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.iova.IovaDomain;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The layers under {@link DmaMapScalingBenchmark}, each alone on one and two threads, so that a
 * line both CPUs write shows up in the layer that owns it: {@code iova} is {@code alloc_iova_fast}
 * + {@code free_iova_fast} of one granule; {@code iova-fq} allocates and queues the IOVA on the
 * CPU's flush queue, which frees it after a (free) flush; {@code driver} maps and unmaps one page
 * of the ideal IOMMU's domain at an IOVA of the CPU's own; {@code all} is the whole
 * {@code map_page} + {@code unmap_page} of {@link IdealDmaMachine}. Read each part's two-thread
 * score over its one-thread score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScalingBisectionBenchmark {

    private static final int CPUS = 2;
    /** The highest pfn of a 48-bit space of 4 KiB granules. */
    private static final long LIMIT_PFN = (1L << 36) - 1;

    /** The layers all threads share. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"iova", "iova-fq", "driver", "all"})
        public String part;

        final AtomicInteger nextCpu = new AtomicInteger();
        NativeEngine engine;
        IovaDomain iovad;
        DeferredFlush queues;
        IommuDomainOps domain;
        IdealDmaMachine machine;

        @Setup
        public void setUp() {
            switch (part) {
                case "iova", "iova-fq" -> {
                    engine = new NativeEngine(CPUS);
                    iovad = new IovaDomain(engine, IdealDmaMachine.PAGE_SIZE, 1);
                    iovad.initRcaches();
                    queues = DeferredFlush.kernelQueues().create(new DeferredFlushContext(engine, "bench0",
                            DmaIommuOptions.perCpuDefaults(), cpu -> { }, (cpu, pfn, pages) -> { },
                            iovad::freeIovaFast, new FlushQueueCounters()));
                }
                case "driver" -> {
                    engine = new NativeEngine(CPUS);
                    IdealIommu ideal = new IdealIommu(IdealIommu.Config.defaults().withNrCpus(CPUS));
                    domain = ideal.domainAllocPaging(new Device("bench0"));
                }
                case "all" -> {
                    machine = new IdealDmaMachine("lazy-percpu", CPUS, PteLayout.SPACED);
                    engine = machine.engine;
                }
                default -> throw new IllegalArgumentException("part " + part + "; allowed iova, iova-fq, driver, all");
            }
        }

        @TearDown
        public void tearDown() {
            if (queues != null) {
                queues.free();
            }
            engine.close();
        }

        long run(OnCpu on) {
            return switch (part) {
                case "iova" -> {
                    long pfn = iovad.allocIovaFast(on.cpu, 1, LIMIT_PFN, true);
                    iovad.freeIovaFast(on.cpu, pfn, 1);
                    yield pfn;
                }
                case "iova-fq" -> {
                    long pfn = iovad.allocIovaFast(on.cpu, 1, LIMIT_PFN, true);
                    queues.queueIova(on.cpu, pfn, 1);
                    on.cpu.runSoftirqs();
                    yield pfn;
                }
                case "driver" -> {
                    long iova = on.ownIova();
                    int prot = IommuProt.READ | IommuProt.WRITE;
                    domain.mapPages(on.cpu, iova, on.phys(), IdealDmaMachine.PAGE_SIZE, 1, prot);
                    on.gather.init();
                    yield domain.unmapPages(on.cpu, iova, IdealDmaMachine.PAGE_SIZE, 1, on.gather);
                }
                default -> machine.mapUnmapPage(on.cpu.id(), on.phys());
            };
        }
    }

    /** One thread's CPU, its gather, and its own run of IOVAs and physical pages. */
    @State(Scope.Thread)
    public static class OnCpu {
        Cpu cpu;
        final IotlbGather gather = new IotlbGather();
        long next;

        @Setup
        public void setUp(Shared shared) {
            int id = shared.nextCpu.getAndIncrement();
            if (id >= CPUS) {
                throw new IllegalStateException("more benchmark threads than CPUs: thread " + id);
            }
            cpu = shared.engine.cpu(id);
        }

        long phys() {
            return IdealDmaMachine.bufferPage(cpu.id(), next++);
        }

        /** An IOVA in a 2 MiB region of this CPU's own, cycling over its 256 pages. */
        long ownIova() {
            return ((long) (cpu.id() + 1) << 21) + (next & 255) * IdealDmaMachine.PAGE_SIZE;
        }
    }

    @Benchmark
    @Threads(1)
    public long oneThread(Shared shared, OnCpu on) {
        return shared.run(on);
    }

    @Benchmark
    @Threads(2)
    public long twoThreads(Shared shared, OnCpu on) {
        return shared.run(on);
    }
}
