package org.iommulab.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Map+unmap throughput of one 4 KiB page with one, two and four threads sharing one device, each
 * thread playing its own CPU of a 4-CPU machine: the per-CPU queues should scale, the single
 * queue's one lock should not. Read the n-thread score over the 1-thread score of the same policy
 * and layout. {@code layout=spaced} gives each page-table entry a cache line of its own;
 * {@code packed} is the hardware's layout, where the CPUs' interleaved IOVAs share lines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DmaMapScalingBenchmark {

    private static final int CPUS = 4;

    /** The machine all threads share, and the CPU numbers handed to them. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"lazy-percpu", "lazy-single", "strict"})
        public String policy;

        @Param({"spaced", "packed"})
        public String layout;

        IdealDmaMachine machine;
        final AtomicInteger nextCpu = new AtomicInteger();

        @Setup
        public void setUp() {
            machine = new IdealDmaMachine(policy, CPUS, PteLayout.valueOf(layout.toUpperCase(Locale.ROOT)));
        }

        @TearDown
        public void tearDown() {
            machine.close();
        }
    }

    /** One thread's CPU and its own run of physical pages. */
    @State(Scope.Thread)
    public static class OnCpu {
        int cpu;
        long next;

        @Setup
        public void setUp(Shared shared) {
            cpu = shared.nextCpu.getAndIncrement();
            if (cpu >= shared.machine.engine.nrCpus()) {
                throw new IllegalStateException("more benchmark threads than CPUs: thread " + cpu);
            }
        }

        long phys() {
            return IdealDmaMachine.bufferPage(cpu, next++);
        }
    }

    @Benchmark
    @Threads(1)
    public long oneThread(Shared shared, OnCpu on) {
        return shared.machine.mapUnmapPage(on.cpu, on.phys());
    }

    @Benchmark
    @Threads(2)
    public long twoThreads(Shared shared, OnCpu on) {
        return shared.machine.mapUnmapPage(on.cpu, on.phys());
    }

    @Benchmark
    @Threads(4)
    public long fourThreads(Shared shared, OnCpu on) {
        return shared.machine.mapUnmapPage(on.cpu, on.phys());
    }
}
