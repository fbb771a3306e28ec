package org.iommulab.bench;

import java.util.concurrent.TimeUnit;
import org.iommulab.s390.legacy.LegacyBitmapAllocator;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The old s390 DMA API's bitmap allocator ({@code s390.legacy.LegacyBitmapAllocator}): allocate
 * and free one page in a 4 GiB aperture ({@value #APERTURE_PAGES} pages). Lazy mode includes the
 * wrap's global refresh (free here) and the lazy-bitmap reclaim, amortised over the
 * {@value #APERTURE_PAGES} allocations between two wraps; strict mode frees at once and the
 * next-fit search walks over freed bits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LegacyBitmapBenchmark {

    static final long APERTURE_PAGES = 1L << 20;

    @Param({"true", "false"})
    public boolean strict;

    private NativeEngine engine;
    private Cpu cpu;
    private LegacyBitmapAllocator allocator;

    @Setup
    public void setUp() {
        engine = new NativeEngine(1);
        cpu = engine.cpu(0);
        allocator = new LegacyBitmapAllocator(engine.newSpinLock("iommu_bitmap_lock"), APERTURE_PAGES, 0,
                1L << 20, strict, c -> 0);
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public long allocFree() {
        long offset = allocator.dmaAllocAddress(cpu, 1);
        allocator.dmaFreeAddress(cpu, offset, 1);
        return offset;
    }
}
