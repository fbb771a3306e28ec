package org.iommulab.sim.virtual;

import org.iommulab.sim.Cpu;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.TimerCallback;
import org.iommulab.sim.TimerWheel;

/**
 * A {@link KTimer} in virtual time: arming it queues an event on the arming CPU at that CPU's
 * now plus the delay, as its {@link TimerWheel} rounds it; re-arming or cancelling takes the queued event out again, so a timer has at
 * most one event queued and {@link #pending()} is exact.
 */
final class VirtualTimer implements KTimer {

    private static final int NOT_QUEUED = -1;

    private final VirtualEngine engine;
    private final TimerCallback callback;
    private final TimerWheel wheel;
    private int slot = NOT_QUEUED;
    private int cpuId;

    VirtualTimer(VirtualEngine engine, TimerCallback callback, TimerWheel wheel) {
        this.engine = engine;
        this.callback = callback;
        this.wheel = wheel;
    }

    @Override
    public void mod(Cpu cpu, long delayNs) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("timer delay " + delayNs + " ns is negative; must be >= 0");
        }
        cancel();
        cpuId = cpu.id();
        slot = engine.queue(cpuId, cpu.nowNs() + wheel.fireDelayNs(cpu.nowNs(), delayNs), this);
    }

    @Override
    public boolean schedule(Cpu cpu, long delayNs) {
        if (pending()) {
            return false;
        }
        mod(cpu, delayNs);
        return true;
    }

    @Override
    public boolean pending() {
        return slot != NOT_QUEUED;
    }

    @Override
    public void cancel() {
        if (slot != NOT_QUEUED) {
            engine.unqueue(cpuId, slot);
            slot = NOT_QUEUED;
        }
    }

    /** The engine runs the expiry: the timer is no longer pending while its callback runs. */
    void expire(VirtualCpu cpu) {
        slot = NOT_QUEUED;
        callback.run(cpu);
    }
}
