package org.iommulab.sim.virtual;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.DeviceQueue;
import org.iommulab.sim.EngineBase;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.Scheduler;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;
import org.iommulab.sim.TimerWheel;

/**
 * A deterministic discrete-event engine (docs/model.md, "Virtual time"): N simulated CPUs on one
 * thread, each with its own clock. Work arrives as events (a job step, a device completion, a
 * timer expiry) queued for a CPU at a time; {@link #runUntil} always runs the earliest event next,
 * equal times in the order they were queued, and an event runs on its CPU at the later of its time
 * and the CPU's clock: a busy CPU handles it when it gets free. Locks, device queues and the
 * hypervisor are "busy until T" resources ({@link VirtualSerialResource}).
 *
 * <p>Each CPU keeps its own queue of events ({@link VirtualEventQueue}) and a heap of CPUs
 * ({@link VirtualCpuHeap}) picks the one whose next event starts first, so the events a busy CPU
 * is behind on cost nothing until it gets to them. Nothing on the path of queueing and running an
 * event allocates: both are primitive arrays.
 */
public final class VirtualEngine extends EngineBase<VirtualCpu> implements Scheduler {

    private final TimerWheel wheel;
    private final VirtualEventQueue[] queues;
    private final VirtualCpuHeap next;
    private final List<VirtualSerialResource> resources = new ArrayList<>();
    /**
     * The CPU whose event is running, or -1 between events. Its key in {@link #next} is set once,
     * when the event returns, not on each event it queues for itself: nothing reads the heap while
     * an event runs.
     */
    private int running = -1;
    private long nowNs;
    private long nextSeq;
    private long eventsRun;

    /** An engine whose timers fire exactly on time. */
    public VirtualEngine(int nrCpus, CostModel costs) {
        this(nrCpus, costs, TimerWheel.EXACT);
    }

    /** An engine whose {@link #newTimer timers} fire on {@code wheel}'s ticks. */
    public VirtualEngine(int nrCpus, CostModel costs, TimerWheel wheel) {
        super(nrCpus, VirtualCpu[]::new, costs);
        this.wheel = wheel;
        this.queues = new VirtualEventQueue[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            cpus[i] = new VirtualCpu(i, costs);
            queues[i] = new VirtualEventQueue();
        }
        this.next = new VirtualCpuHeap(nrCpus);
    }

    /** A spinlock whose waits are booked as {@link CostCategory#LOCK_WAIT}. */
    @Override
    public SpinLock newSpinLock(String name) {
        return newSpinLock(name, CostCategory.LOCK_WAIT);
    }

    /** A spinlock whose waits are booked to {@code waitCategory} (hypervisor time for QEMU's lock). */
    @Override
    public SpinLock newSpinLock(String name, CostCategory waitCategory) {
        return new VirtualSpinLock(newSerialResource(name), waitCategory, 0);
    }

    /** A sleeping lock: a contended acquisition starts {@code handoff} after the release before it. */
    @Override
    public SpinLock newMutex(String name, CostCategory waitCategory, Cost handoff) {
        return new VirtualSpinLock(newSerialResource(name), waitCategory, costs().ns(handoff));
    }

    /** A serial resource such as a device queue; its counters appear in {@link #resourceStats()}. */
    public VirtualSerialResource newSerialResource(String name) {
        VirtualSerialResource r = new VirtualSerialResource(name, this);
        resources.add(r);
        return r;
    }

    @Override
    public DeviceQueue newDeviceQueue(String name) {
        return newSerialResource(name);
    }

    @Override
    public boolean virtualTime() {
        return true;
    }

    @Override
    public KTimer newTimer(String name, TimerCallback callback) {
        return new VirtualTimer(this, callback, wheel);
    }

    @Override
    public KTimer newHrTimer(String name, TimerCallback callback) {
        return new VirtualTimer(this, callback, TimerWheel.EXACT);
    }

    /**
     * Queues {@code action} to run on CPU {@code cpuId} at {@code atNs}, or when that CPU gets free
     * if it is busy then. A time before the engine's now is taken as now: events never run in the
     * past.
     */
    @Override
    public void post(int cpuId, long atNs, TimerCallback action) {
        queue(cpuId, atNs, action);
    }

    /** Queues {@code action} (a callback or a {@link VirtualTimer}); returns its slot in the CPU's queue. */
    int queue(int cpuId, long atNs, Object action) {
        if (cpuId < 0 || cpuId >= cpus.length) {
            throw new IllegalArgumentException("cpu " + cpuId + " does not exist; 0 <= cpu < " + cpus.length);
        }
        VirtualEventQueue q = queues[cpuId];
        int slot = q.add(Math.max(atNs, nowNs), nextSeq++, action);
        if (cpuId != running && q.firstSlot() == slot) {
            reschedule(cpuId);
        }
        return slot;
    }

    void unqueue(int cpuId, int slot) {
        VirtualEventQueue q = queues[cpuId];
        boolean first = q.firstSlot() == slot;
        q.remove(slot);
        if (cpuId != running && first) {
            reschedule(cpuId);
        }
    }

    /**
     * Re-keys CPU {@code cpuId} in the heap after its first event or its clock changed: after each
     * of its events, and when another CPU's event queues or takes out its first (a CPU's clock
     * moves only while its own events run).
     */
    private void reschedule(int cpuId) {
        VirtualEventQueue q = queues[cpuId];
        if (q.isEmpty()) {
            next.remove(cpuId);
        } else {
            next.set(cpuId, Math.max(q.firstTime(), cpus[cpuId].nowNs()), q.firstSeq());
        }
    }

    /**
     * Runs events, earliest first, until the next one is after {@code endNs} or none is left.
     * Events may queue more events.
     */
    public void runUntil(long endNs) {
        while (!next.isEmpty()) {
            long t = next.firstTime();
            if (t > endNs) {
                return;
            }
            int cpuId = next.first();
            VirtualCpu cpu = cpus[cpuId];
            VirtualEventQueue q = queues[cpuId];
            int slot = q.firstSlot();
            Object action = q.action(slot);
            q.remove(slot);
            nowNs = t;
            cpu.idleUntil(t);
            eventsRun++;
            running = cpuId;
            try {
                if (action instanceof VirtualTimer timer) {
                    timer.expire(cpu);
                } else {
                    ((TimerCallback) action).run(cpu);
                }
            } finally {
                running = -1;
                reschedule(cpuId);
            }
        }
    }

    /** The time of the event running now, or of the last one run. */
    public long nowNs() {
        return nowNs;
    }

    /** How many events have run. */
    public long eventsRun() {
        return eventsRun;
    }

    /** True when no event is queued. */
    public boolean idle() {
        return next.isEmpty();
    }

    /** Busy ns of all CPUs booked to {@code category}. */
    public long busyNs(CostCategory category) {
        long sum = 0;
        for (VirtualCpu c : cpus) {
            sum += c.busyNs(category);
        }
        return sum;
    }

    /** Busy ns of all CPUs, all categories. */
    public long busyNs() {
        long sum = 0;
        for (VirtualCpu c : cpus) {
            sum += c.busyNs();
        }
        return sum;
    }

    /** Every lock's and serial resource's counters, in the order they were created. */
    public List<VirtualResourceStats> resourceStats() {
        List<VirtualResourceStats> out = new ArrayList<>(resources.size());
        for (VirtualSerialResource r : resources) {
            out.add(r.stats());
        }
        return out;
    }
}
