package org.iommulab.sim.threads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.iommulab.sim.CachelineAligned;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.SpinLock;

/**
 * A spinlock on real threads, taken as the kernel takes one: a compare-and-set to take it, a
 * release store to drop it, so an uncontended lock and unlock cost one atomic instruction and no
 * fence (a {@code ReentrantLock} releases with a volatile store, a full fence on x86). Its word is
 * cache-line aligned, as a per-CPU lock is in the kernel. A waiter spins; after
 * {@value #SPINS_BEFORE_YIELD} tries it yields its core between tries, because a CPU's thread can
 * be descheduled while it holds the lock when the model runs more CPUs than the machine has cores.
 * Not reentrant, as no kernel spinlock is; unlocking one this thread does not hold throws, as a
 * {@code ReentrantLock} does, so an unbalanced unlock cannot silently let two CPUs in.
 */
final class NativeSpinLock extends NativeSpinLockFields implements SpinLock {

    static final int SPINS_BEFORE_YIELD = 100;
    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(NativeSpinLockFields.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Trailing padding: see {@link CachelineAligned}. */
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    @Override
    public void lock(Cpu cpu) {
        if (!LOCKED.compareAndSet(this, 0, 1)) {
            lockContended();
        }
        owner = Thread.currentThread();
    }

    private void lockContended() {
        int tries = 0;
        do {
            if (tries++ < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        } while ((int) LOCKED.getOpaque(this) != 0 || !LOCKED.compareAndSet(this, 0, 1));
    }

    @Override
    public void unlock(Cpu cpu) {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("unlock of a spinlock held by " + owner + ", not by "
                    + Thread.currentThread());
        }
        owner = null;
        LOCKED.setRelease(this, 0);
    }

    /** Whether some thread holds it now; for tests. */
    boolean isLocked() {
        return (int) LOCKED.getOpaque(this) != 0;
    }
}
