package org.iommulab.sim.threads;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.TimerCallback;

/**
 * A kernel timer on real threads. The timer thread keeps the expiry times; at expiry it raises the
 * timer on the CPU that armed it ({@link NativeCpu#raise}), whose thread runs the callback at its
 * next interrupt point. A CPU whose thread has not looked within the backstop time (it is
 * descheduled, or what drives it never calls {@link Cpu#runSoftirqs}) has the callback run on the
 * timer thread on its behalf: safe, because every per-CPU structure of the model is guarded by its
 * own lock, as in the kernel.
 *
 * <p>Each arming is a generation; an expiry runs the callback only if it claims its own generation
 * still raised, so a re-armed or cancelled timer never runs for an old arming, and a raised
 * expiry runs once, on the CPU or the timer thread, whichever claims it first.
 */
final class NativeTimer implements KTimer {

    private final TimerCallback callback;
    private final ScheduledExecutorService timerThread;
    private final long backstopNs;
    /** The current arming, counted from 1. */
    private long generation;
    /** Armed and not yet claimed: {@link #pending()}. */
    private boolean armed;
    /** The armed expiry has been raised on its CPU. */
    private boolean raised;
    private NativeCpu armedOn;
    private ScheduledFuture<?> expiry;

    /** @param backstopNs how long a raised expiry waits for its CPU before the timer thread runs it */
    NativeTimer(TimerCallback callback, ScheduledExecutorService timerThread, long backstopNs) {
        this.callback = callback;
        this.timerThread = timerThread;
        this.backstopNs = backstopNs;
    }

    @Override
    public synchronized void mod(Cpu cpu, long delayNs) {
        disarm();
        arm(cpu, delayNs);
    }

    @Override
    public synchronized boolean schedule(Cpu cpu, long delayNs) {
        if (armed) {
            return false;
        }
        arm(cpu, delayNs);
        return true;
    }

    @Override
    public synchronized boolean pending() {
        return armed;
    }

    @Override
    public synchronized void cancel() {
        disarm();
    }

    private void disarm() {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        armed = false;
        raised = false;
    }

    private void arm(Cpu cpu, long delayNs) {
        if (!(cpu instanceof NativeCpu on)) {
            throw new IllegalArgumentException(cpu + " is not a CPU of a native engine");
        }
        generation++;
        armed = true;
        armedOn = on;
        Expiry e = new Expiry(this, generation);
        expiry = timerThread.schedule(e::raise, Math.max(0, delayNs), TimeUnit.NANOSECONDS);
    }

    /** Marks generation {@code gen} raised and returns its CPU; null if re-armed or cancelled since. */
    private synchronized NativeCpu raised(long gen) {
        if (!armed || generation != gen) {
            return null;
        }
        raised = true;
        return armedOn;
    }

    /**
     * Claims generation {@code gen} to run it: true once, and only while it is still raised and
     * the engine is open (a closed engine's timers never run).
     */
    private synchronized boolean claim(long gen) {
        if (!armed || !raised || generation != gen || timerThread.isShutdown()) {
            return false;
        }
        armed = false;
        raised = false;
        expiry = null;
        return true;
    }

    /** One arming's expiry, as the timer thread hands it to a CPU. */
    record Expiry(NativeTimer timer, long generation) {

        /**
         * On the timer thread at the expiry time: raise it on the arming CPU, and arm the backstop,
         * which takes it back from a CPU that has not looked, so nothing piles up there.
         */
        private void raise() {
            NativeCpu cpu = timer.raised(generation);
            if (cpu == null) {
                return;
            }
            cpu.raise(this);
            try {
                timer.timerThread.schedule(() -> {
                    cpu.withdraw(this);
                    runOn(cpu);
                }, timer.backstopNs, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                // The engine closed: pending timers never run.
            }
        }

        /** Runs the callback for {@code cpu} if this expiry is still the timer's and not yet run. */
        void runOn(NativeCpu cpu) {
            if (timer.claim(generation)) {
                timer.callback.run(cpu);
            }
        }
    }
}
