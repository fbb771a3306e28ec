package org.iommulab.sim.threads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;

/**
 * A CPU of a {@link NativeEngine}, driven by one thread at a time: the monotonic clock, costs
 * skipped or busy-waited, and the timer softirq. A timer armed on this CPU does not run on the
 * timer thread when it expires: the timer thread only raises it here, as a timer interrupt raises
 * {@code TIMER_SOFTIRQ}, and the callback runs on this CPU's own thread at its next
 * {@link #runSoftirqs interrupt point}. So a flush-queue timeout runs as the kernel runs it, on a
 * CPU between two pieces of its work, and not on a third thread the scheduler can take off its core
 * in the middle of a flush.
 */
final class NativeCpu extends NativeCpuFields implements Cpu {

    private static final VarHandle LAST_NOW;

    static {
        try {
            LAST_NOW = MethodHandles.lookup().findVarHandle(NativeCpuFields.class, "lastNowNs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Trailing padding: see {@link org.iommulab.sim.CachelineAligned}. */
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    NativeCpu(int id, long baseNs, CostModel costs, boolean emulateCosts, Quiescence quiescence) {
        this.id = id;
        this.baseNs = baseNs;
        this.costs = costs;
        this.emulateCosts = emulateCosts;
        this.quiescence = quiescence;
        this.raised = new ConcurrentLinkedQueue<>();
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
        long now = System.nanoTime() - baseNs;
        LAST_NOW.setOpaque(this, now);
        return now;
    }

    @Override
    public void spend(Cost cost, long count) {
        if (emulateCosts) {
            long until = System.nanoTime() + costs.ns(cost) * count;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    /** Runs the callbacks of the timers that expired on this CPU; one volatile read when there are none. */
    @Override
    public void runSoftirqs() {
        if (softirqRaised) {
            softirqRaised = false;
            for (NativeTimer.Expiry e; (e = raised.poll()) != null; ) {
                e.runOn(this);
            }
        }
    }

    /** From the timer thread: {@code expiry} is due; this CPU runs it at its next interrupt point. */
    void raise(NativeTimer.Expiry expiry) {
        raised.add(expiry);
        softirqRaised = true;
        quiescence.posted();
    }

    /**
     * From the timer thread, the only thread that raises: takes {@code expiry} back for the timer
     * thread to run, and lowers the flag if nothing else is raised.
     */
    void withdraw(NativeTimer.Expiry expiry) {
        raised.remove(expiry);
        if (raised.isEmpty()) {
            softirqRaised = false;
        }
    }

    /** Whether a raised softirq waits for this CPU. */
    boolean softirqPending() {
        return softirqRaised;
    }

    @Override
    public String toString() {
        return "cpu" + id;
    }
}
