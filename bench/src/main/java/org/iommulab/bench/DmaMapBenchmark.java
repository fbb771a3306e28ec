package org.iommulab.bench;

import java.util.concurrent.TimeUnit;
import org.iommulab.ideal.PteLayout;
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
 * Single-thread map+unmap of one 4 KiB page through dma-iommu on the ideal IOMMU, per invalidation
 * policy ({@code -p policy=} takes any registered one that uses dma-iommu): the figure read against {@link FloorBenchmark}. The physical page cycles over 512 pages so
 * the ideal page table sees different keys, as a driver's buffers would give it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DmaMapBenchmark {

    @Param({"lazy-percpu", "lazy-single", "strict"})
    public String policy;

    private IdealDmaMachine machine;
    private long next;

    @Setup
    public void setUp() {
        machine = new IdealDmaMachine(policy, 1, PteLayout.PACKED);
    }

    @TearDown
    public void tearDown() {
        machine.close();
    }

    @Benchmark
    public long mapUnmapPage() {
        return machine.mapUnmapPage(0, IdealDmaMachine.bufferPage(0, next++));
    }
}
