package org.iommulab.sim.threads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.DeviceQueue;
import org.iommulab.sim.EngineBase;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.Scheduler;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;

/**
 * Real threads play the CPUs: locks are real spinlocks ({@link NativeSpinLock}), timers run on a
 * timer thread, time is the monotonic clock. Costs are either skipped (measure the Java model
 * alone) or emulated by busy-waiting their value from the cost model.
 *
 * <p>Each CPU object must be used by one thread at a time, as a kernel CPU runs one context at a
 * time; the timer thread stands in for the CPU that armed the timer, which is safe because every
 * per-CPU structure in the model is guarded by its own lock, as in the kernel.
 *
 * <p>A workload runs on it as in virtual time: {@link #run} gives each CPU a thread that runs the
 * work posted to it ({@link CpuLoop}), so the same workload code drives both engines.
 */
public final class NativeEngine extends EngineBase<Cpu> implements Scheduler, AutoCloseable {

    private static final VarHandle LAST_NOW;

    static {
        try {
            LAST_NOW = MethodHandles.lookup().findVarHandle(NativeCpu.class, "lastNowNs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CpuLoop[] loops;
    private final Quiescence quiescence;
    private boolean ran;
    private final boolean emulateCosts;
    private final long base = System.nanoTime();
    private final ScheduledThreadPoolExecutor timerThread;

    /**
     * @param emulateCosts busy-wait each spent cost for its cost-model value; otherwise spending
     *     is free and only the Java code's own time is measured
     */
    public NativeEngine(int nrCpus, CostModel costs, boolean emulateCosts) {
        super(nrCpus, Cpu[]::new, costs);
        this.emulateCosts = emulateCosts;
        this.loops = new CpuLoop[nrCpus];
        this.quiescence = new Quiescence(loops);
        for (int i = 0; i < nrCpus; i++) {
            NativeCpu cpu = new NativeCpu(i);
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
        return new NativeTimer(callback);
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

    /** Stops the timer thread; pending timers never run. */
    @Override
    public void close() {
        timerThread.shutdownNow();
    }

    /** A CPU on the monotonic clock; it remembers its last reading, which its {@link CpuLoop} reuses. */
    final class NativeCpu implements Cpu {
        private final int id;
        /** The last {@link #nowNs} read on this CPU; read and written opaquely, so never torn. */
        private long lastNowNs;

        NativeCpu(int id) {
            this.id = id;
        }

        /** A time this CPU's clock has already passed, without reading the clock. */
        long lastNowNs() {
            return (long) LAST_NOW.getOpaque(this);
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public long nowNs() {
            long now = System.nanoTime() - base;
            LAST_NOW.setOpaque(this, now);
            return now;
        }

        @Override
        public void spend(Cost cost, long count) {
            if (emulateCosts) {
                long until = System.nanoTime() + costs().ns(cost) * count;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        }

        @Override
        public String toString() {
            return "cpu" + id;
        }
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

    private final class NativeTimer implements KTimer {
        private final TimerCallback callback;
        /** The armed expiry, or null; cleared by the callback as it starts. */
        private final AtomicReference<ScheduledFuture<?>> armed = new AtomicReference<>();

        NativeTimer(TimerCallback callback) {
            this.callback = callback;
        }

        @Override
        public synchronized void mod(Cpu cpu, long delayNs) {
            ScheduledFuture<?> old = armed.getAndSet(null);
            if (old != null) {
                old.cancel(false);
            }
            arm(cpu, delayNs);
        }

        @Override
        public synchronized boolean schedule(Cpu cpu, long delayNs) {
            if (armed.get() != null) {
                return false;
            }
            arm(cpu, delayNs);
            return true;
        }

        private void arm(Cpu cpu, long delayNs) {
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            Runnable fire = () -> {
                synchronized (this) {
                    if (armed.get() != self[0]) {
                        return; // re-armed or cancelled since
                    }
                    armed.set(null);
                }
                callback.run(cpu);
            };
            // The caller holds this timer's monitor, so fire() cannot look at self[0] before it is set.
            self[0] = timerThread.schedule(fire, delayNs, TimeUnit.NANOSECONDS);
            armed.set(self[0]);
        }

        @Override
        public boolean pending() {
            return armed.get() != null;
        }

        @Override
        public synchronized void cancel() {
            ScheduledFuture<?> old = armed.getAndSet(null);
            if (old != null) {
                old.cancel(false);
            }
        }
    }
}
