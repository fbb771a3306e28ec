package org.iommulab.sim;

/**
 * A kernel timer or delayed work item. The callback runs on the CPU that last armed it: with that
 * CPU's clock at the expiry time (virtual), or natively on that CPU's thread at its next interrupt
 * point ({@link Cpu#runSoftirqs}), or on a timer thread standing in for it if the CPU does not come
 * to one soon.
 */
public interface KTimer {

    /** {@code mod_timer}: (re)arms the timer to expire {@code delayNs} after {@code cpu}'s now. */
    void mod(Cpu cpu, long delayNs);

    /**
     * {@code schedule_delayed_work}: arms the timer unless it is already pending, atomically.
     *
     * @return true if this call armed it, false if it was already pending
     */
    boolean schedule(Cpu cpu, long delayNs);

    /** True while the timer is armed and has not started running. */
    boolean pending();

    /** {@code del_timer_sync}: disarms the timer; a running callback is allowed to finish. */
    void cancel();
}
