package org.iommulab.sim.virtual;

import org.iommulab.sim.CostCategory;
import org.iommulab.sim.DeviceQueue;

/**
 * Something only one user at a time can work on, in virtual time: a lock, a device queue, the
 * hypervisor's global lock. A device queue is "busy until T": a job arriving at t starts at
 * max(t, T). A lock keeps a {@link BusyCalendar} of when it was held, so an acquisition waits only
 * if the lock was held at its own time, even when a later-starting event recorded a hold first.
 * Counts uses, contended uses (those that waited), the total wait and the time it was busy, which
 * says whether it bounded a run.
 */
public final class VirtualSerialResource implements DeviceQueue {

    private final String name;
    private final VirtualEngine engine;
    private final BusyCalendar held = new BusyCalendar();
    private long busyUntilNs;
    private long acquisitions;
    private long contended;
    private long waitNs;
    private long busyNs;
    private long heldSinceNs;
    /** Where the current hold's interval starts: its grant, or the handoff before it. */
    private long occupiedSinceNs;

    VirtualSerialResource(String name, VirtualEngine engine) {
        this.name = name;
        this.engine = engine;
    }

    public String name() {
        return name;
    }

    /**
     * A job of {@code durationNs} arriving at {@code atNs} (a request on a device queue): it starts
     * when the resource is free, which then stays busy until it ends.
     *
     * @return the job's start time
     */
    @Override
    public long reserve(long atNs, long durationNs) {
        if (durationNs < 0) {
            throw new IllegalArgumentException("duration " + durationNs + " ns of " + name + " is negative");
        }
        long start = startAt(atNs);
        busyUntilNs = start + durationNs;
        busyNs += durationNs;
        return start;
    }

    /**
     * {@code cpu} takes the resource at its current time, waiting until it is free and, if it had
     * to wait, {@code handoffNs} more (a sleeping lock's wake-up, during which the resource is
     * unavailable and counted busy); the wait advances the CPU's clock and is booked to
     * {@code waitCategory}. Release with {@link #release}.
     *
     * @return the ns waited
     */
    public long acquire(VirtualCpu cpu, CostCategory waitCategory, long handoffNs) {
        long at = cpu.nowNs();
        held.prune(engine.nowNs());
        long free = held.firstFreeAt(at);
        acquisitions++;
        long start = free;
        occupiedSinceNs = free;
        if (free > at) {
            contended++;
            start += handoffNs;
            waitNs += start - at;
            busyNs += handoffNs;
        }
        heldSinceNs = start;
        return cpu.waitUntil(start, waitCategory);
    }

    /** {@code cpu} is done with the resource at its current time. */
    public void release(VirtualCpu cpu) {
        busyNs += cpu.nowNs() - heldSinceNs;
        held.add(occupiedSinceNs, cpu.nowNs());
    }

    /** When a device queue next becomes free, as far as is known now (locks keep a calendar instead). */
    public long busyUntilNs() {
        return busyUntilNs;
    }

    private long startAt(long atNs) {
        acquisitions++;
        if (atNs >= busyUntilNs) {
            return atNs;
        }
        contended++;
        waitNs += busyUntilNs - atNs;
        return busyUntilNs;
    }

    /** The counters so far. */
    public VirtualResourceStats stats() {
        return new VirtualResourceStats(name, acquisitions, contended, waitNs, busyNs);
    }
}
