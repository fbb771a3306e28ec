package org.iommulab.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.iommulab.iova.IovaDomain;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The IOVA allocator alone ({@code iova.IovaDomain}, free costs): {@code allocIovaFast} +
 * {@code freeIovaFast} of one granule served by the CPU's rcache, and of
 * {@value #TREE_PAGES} granules, a size above the rcaches' 32 that always goes to the rbtree,
 * in a tree already holding {@value #FILL} ranges of 1 to 32 granules with holes between them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IovaBenchmark {

    static final long TREE_PAGES = 64;
    static final int FILL = 20_000;
    /** The highest pfn of a 48-bit space of 4 KiB granules. */
    private static final long LIMIT_PFN = (1L << 36) - 1;

    private NativeEngine engine;
    private Cpu cpu;
    private IovaDomain iovad;

    @Setup
    public void setUp() {
        engine = new NativeEngine(1);
        cpu = engine.cpu(0);
        iovad = new IovaDomain(engine, 4096, 1);
        iovad.initRcaches();
        SplittableRandom random = new SplittableRandom(1);
        long[] pfns = new long[FILL];
        for (int i = 0; i < FILL; i++) {
            pfns[i] = iovad.allocIovaFast(cpu, 1 + random.nextInt(32), LIMIT_PFN, true);
        }
        for (int i = 0; i < FILL; i += 4) {
            iovad.freeIova(cpu, pfns[i]);
        }
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    /** One granule: after the first round trip the pfn comes from and goes back to the loaded magazine. */
    @Benchmark
    public long rcacheHit() {
        long pfn = iovad.allocIovaFast(cpu, 1, LIMIT_PFN, true);
        iovad.freeIovaFast(cpu, pfn, 1);
        return pfn;
    }

    /** {@value #TREE_PAGES} granules: a tree search and insert, then a find and erase. */
    @Benchmark
    public long treeAlloc() {
        long pfn = iovad.allocIovaFast(cpu, TREE_PAGES, LIMIT_PFN, true);
        iovad.freeIovaFast(cpu, pfn, TREE_PAGES);
        return pfn;
    }
}
