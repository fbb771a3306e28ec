package org.iommulab.sim;

/**
 * A kernel spinlock ({@code spin_lock_irqsave}). In virtual time a lock is a resource busy until
 * the holder releases it: acquiring it at time t waits until max(t, busy-until) and books the wait
 * as lock wait. Natively it is a real lock.
 */
public interface SpinLock {

    void lock(Cpu cpu);

    void unlock(Cpu cpu);
}
