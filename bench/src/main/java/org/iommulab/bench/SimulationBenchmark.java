package org.iommulab.bench;

import java.util.concurrent.TimeUnit;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.Simulation;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.Policies;
import org.iommulab.stats.RunStats;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast the virtual-time engine runs the default scenario (the {@code reproduce} workload: fio
 * defaults on 8 CPUs, DMA mode auto) on one core. Each benchmark call is one whole
 * {@link Simulation#run} of {@code durationMs} of virtual time; the primary score is runs per
 * second, and the {@code ios} counter is simulated I/Os (completed) per wall-clock second, the
 * figure docs/simulator-performance.md reports. {@code cpus} and {@code durationMs} scale the run
 * (fio keeps one job per CPU): {@code -p cpus=8,144 -p durationMs=100,60000} shows whether the
 * cost per simulated I/O stays flat with the machine's size and the run's length.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "-XX:FreqInlineSize=100") // as the iommu-lab launcher runs it
public class SimulationBenchmark {

    /** The platform beneath the guest, by its command-line name; the DMA mode is Linux 6.7's pick (auto). */
    @Param({"kvm", "lpar"})
    public String platform;

    /** Virtual time simulated per call, in ms. */
    @Param({"500"})
    public long durationMs;

    /** Simulated CPUs, each running one fio job. */
    @Param({"8"})
    public int cpus;

    private Scenario scenario;

    @Setup
    public void setUp() {
        Scenario d = Scenario.defaults(PlatformKind.parse(platform), Policies.AUTO);
        scenario = new Scenario(d.platform(), d.hvProfile(), d.guestMemoryGiB(), d.dma(), d.fqSize(),
                d.fqTimeoutMs(), d.workload(), cpus, durationMs, d.seed(), d.costOverrides());
    }

    /** Simulated I/Os, reported by JMH per second of wall-clock time, like the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class SimulatedIos {
        /** Completed simulated I/Os in this iteration. */
        public long ios;

        @Setup(Level.Iteration)
        public void reset() {
            ios = 0;
        }
    }

    /** One whole run of the scenario. */
    @Benchmark
    public RunStats run(SimulatedIos counter) {
        RunStats stats = Simulation.run(scenario);
        counter.ios += stats.io().completed();
        return stats;
    }
}
