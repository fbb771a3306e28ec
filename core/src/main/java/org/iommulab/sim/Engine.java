package org.iommulab.sim;

/**
 * What the kernel model gets from its environment: CPUs, spinlocks, timers and a place to publish
 * counters. The algorithms
 * never know whether they run in virtual time or natively; they ask the engine.
 */
public interface Engine {

    /** The number of CPUs, as {@code num_possible_cpus()} (all of them are online). */
    int nrCpus();

    /** The CPU numbered {@code id}. */
    Cpu cpu(int id);

    /** A new spinlock; {@code name} identifies it in lock-wait statistics. */
    SpinLock newSpinLock(String name);

    /**
     * A new spinlock whose waits count as {@code waitCategory} rather than lock wait, e.g. QEMU's
     * global lock, which a vCPU waits for as hypervisor time. Engines that book no time ignore it.
     */
    default SpinLock newSpinLock(String name, CostCategory waitCategory) {
        return newSpinLock(name);
    }

    /**
     * A new sleeping lock (a pthread mutex on a futex, e.g. QEMU's BQL) whose waits count as
     * {@code waitCategory}: a contended acquisition is granted {@code handoff} after the holder
     * releases it (the futex wake and the waiter's context switch), and the lock does no work
     * meanwhile. Engines that book no time give an ordinary lock.
     */
    default SpinLock newMutex(String name, CostCategory waitCategory, Cost handoff) {
        return newSpinLock(name, waitCategory);
    }

    /**
     * A new timer-wheel timer ({@code timer_list}) that runs {@code callback} when it expires; see
     * {@link KTimer}. In virtual time it fires on the engine's {@link TimerWheel}.
     */
    KTimer newTimer(String name, TimerCallback callback);

    /** A new high-resolution timer ({@code hrtimer}): it fires when asked, not on a tick. */
    default KTimer newHrTimer(String name, TimerCallback callback) {
        return newTimer(name, callback);
    }

    /** The cost model that prices {@link Cpu#spend}. */
    CostModel costs();

    /** Where the layers running on this engine publish their counters. */
    Metrics metrics();
}
