package org.iommulab.sim.threads;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.DeviceQueue;
import org.iommulab.sim.EngineBase;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.Scheduler;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;

/**
 * Real threads play the CPUs: locks are real spinlocks ({@link NativeSpinLock}), time is the
 * monotonic clock, and a timer expires on a timer thread but runs on the CPU that armed it, at
 * that CPU's next interrupt point ({@link NativeTimer}, {@link Cpu#runSoftirqs}). Costs are either
 * skipped (measure the Java model alone) or emulated by busy-waiting their value from the cost
 * model.
 *
 * <p>Each CPU object must be used by one thread at a time, as a kernel CPU runs one context at a
 * time. A thread that drives a CPU itself rather than through {@link #run} calls
 * {@link Cpu#runSoftirqs} between two pieces of work; where it does not, the timer thread runs the
 * callback on the CPU's behalf a little late.
 *
 * <p>A workload runs on it as in virtual time: {@link #run} gives each CPU a thread that runs the
 * work posted to it ({@link CpuLoop}), so the same workload code drives both engines.
 */
public final class NativeEngine extends EngineBase<Cpu> implements Scheduler, AutoCloseable {

    private final CpuLoop[] loops;
    private final Quiescence quiescence;
    private boolean ran;
    private final ScheduledThreadPoolExecutor timerThread;
    private final long backstopNs;

    /**
     * How long an expired timer waits for its CPU's thread to reach an interrupt point before the
     * timer thread runs it: 1 ms, an assumption (thousands of a busy CPU's interrupt points, a
     * tenth of the per-CPU flush queues' 10 ms timeout, so a timer is late by at most that much).
     */
    static final long SOFTIRQ_BACKSTOP_NS = 1_000_000;

    /**
     * @param emulateCosts busy-wait each spent cost for its cost-model value; otherwise spending
     *     is free and only the Java code's own time is measured
     */
    public NativeEngine(int nrCpus, CostModel costs, boolean emulateCosts) {
        this(nrCpus, costs, emulateCosts, SOFTIRQ_BACKSTOP_NS);
    }

    /** An engine with free costs whose expired timers wait {@code backstopNs} for their CPU; for tests. */
    NativeEngine(int nrCpus, long backstopNs) {
        this(nrCpus, CostModel.zero(), false, backstopNs);
    }

    private NativeEngine(int nrCpus, CostModel costs, boolean emulateCosts, long backstopNs) {
        super(nrCpus, Cpu[]::new, costs);
        this.backstopNs = backstopNs;
        long base = System.nanoTime();
        this.loops = new CpuLoop[nrCpus];
        this.quiescence = new Quiescence(loops);
        for (int i = 0; i < nrCpus; i++) {
            NativeCpu cpu = new NativeCpu(i, base, costs, emulateCosts, quiescence);
            cpus[i] = cpu;
            loops[i] = new CpuLoop(cpu, quiescence);
        }
        this.timerThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "iommu-lab-timer");
            t.setDaemon(true);
            return t;
        });
        timerThread.setRemoveOnCancelPolicy(true);
    }

    /** A native engine whose costs are free. */
    public NativeEngine(int nrCpus) {
        this(nrCpus, CostModel.zero(), false);
    }

    @Override
    public SpinLock newSpinLock(String name) {
        return new NativeSpinLock();
    }

    @Override
    public KTimer newTimer(String name, TimerCallback callback) {
        return new NativeTimer(callback, timerThread, backstopNs);
    }

    @Override
    public void post(int cpuId, long atNs, TimerCallback action) {
        if (cpuId < 0 || cpuId >= cpus.length) {
            throw new IllegalArgumentException("cpu " + cpuId + " does not exist; 0 <= cpu < " + cpus.length);
        }
        loops[cpuId].post(atNs, action);
    }

    @Override
    public DeviceQueue newDeviceQueue(String name) {
        return new NativeDeviceQueue();
    }

    @Override
    public boolean virtualTime() {
        return false;
    }

    /**
     * Runs the posted work, one thread per CPU, for {@code durationNs} of wall time; then calls
     * {@code stop} (the workload's end of runtime) and returns once the work still posted has run;
     * sooner if every CPU ran out of work before.
     * A failure of the work is rethrown here. Runs once per engine.
     */
    public void run(long durationNs, Runnable stop) throws InterruptedException {
        if (ran) {
            throw new IllegalStateException("this engine has already run");
        }
        ran = true;
        for (CpuLoop l : loops) {
            l.start();
        }
        try {
            quiescence.sleep(System.nanoTime() + durationNs);
        } finally {
            stop.run();
            quiescence.stop();
            for (CpuLoop l : loops) {
                l.join();
            }
        }
        Throwable failure = quiescence.failure();
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        } else if (failure instanceof InterruptedException e) {
            throw e;
        }
    }

    /** Stops the timer thread; pending and raised timers never run. */
    @Override
    public void close() {
        timerThread.shutdownNow();
    }

    /** A device queue on real time: a job waits for the one before it, measured on the monotonic clock. */
    private static final class NativeDeviceQueue implements DeviceQueue {
        private long busyUntilNs;

        @Override
        public synchronized long reserve(long atNs, long durationNs) {
            long start = Math.max(atNs, busyUntilNs);
            busyUntilNs = start + durationNs;
            return start;
        }
    }
}
