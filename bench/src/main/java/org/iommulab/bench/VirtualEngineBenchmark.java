package org.iommulab.bench;

import java.util.concurrent.TimeUnit;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;
import org.iommulab.sim.virtual.VirtualEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second of the virtual-time engine ({@code sim.VirtualEngine}) alone. Each simulated
 * CPU runs a chain of events: each takes its CPU's lock, spends a cost, and posts the next one
 * {@value #STEP_NS} ns later. One invocation advances virtual time by {@value #EVENTS_PER_CPU}
 * steps, so it runs exactly {@value #CPUS} x {@value #EVENTS_PER_CPU} events; the score is events
 * per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VirtualEngineBenchmark {

    static final long STEP_NS = 1000;
    static final int EVENTS_PER_CPU = 64;
    static final int CPUS = 16;

    private VirtualEngine engine;
    private SpinLock[] locks;
    private TimerCallback step;
    private long until;

    @Setup
    public void setUp() {
        engine = new VirtualEngine(CPUS, CostModel.defaults());
        locks = new SpinLock[CPUS];
        for (int i = 0; i < CPUS; i++) {
            locks[i] = engine.newSpinLock("cpu" + i);
        }
        step = this::step;
        for (int i = 0; i < CPUS; i++) {
            engine.post(i, STEP_NS, step);
        }
        until = 0;
    }

    private void step(Cpu cpu) {
        SpinLock lock = locks[cpu.id()];
        lock.lock(cpu);
        cpu.spend(Cost.IOVA_RCACHE_OP);
        lock.unlock(cpu);
        engine.post(cpu.id(), engine.nowNs() + STEP_NS, step);
    }

    @Benchmark
    @OperationsPerInvocation(CPUS * EVENTS_PER_CPU)
    public long events() {
        until += STEP_NS * EVENTS_PER_CPU;
        engine.runUntil(until);
        return engine.eventsRun();
    }
}
