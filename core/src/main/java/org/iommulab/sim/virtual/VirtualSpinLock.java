package org.iommulab.sim.virtual;

import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.SpinLock;

/**
 * A spinlock in virtual time: a {@link VirtualSerialResource} whose wait the spinning CPU books as
 * {@link CostCategory#LOCK_WAIT} (or another category chosen at creation, e.g. hypervisor time for
 * QEMU's global lock). Each acquisition also spends {@link Cost#SPIN_LOCK}, the price of an
 * uncontended lock and unlock, so callers must not spend it again. A guest kernel lock (waits
 * booked as lock wait) last held by another CPU also costs {@link Cost#LOCK_LINE_TRANSFER} while
 * held: its line must move first, so a lock that bounces between CPUs serialises them longer than
 * one that stays put. A hypervisor's lock leaves that to its own costs. Built with a handoff it is a
 * sleeping lock instead: a waiter is woken by the release and runs only a handoff later.
 *
 * <p>An event runs to its end before the next one starts, so a CPU whose event takes the lock late
 * in its work records its hold before a CPU whose later-starting event wants it earlier; the
 * resource's calendar of holds still grants that CPU the lock at its own time if it was free then
 * (within one hold, see {@link BusyCalendar}). Taking a lock that is held throws, since a
 * spinlock held across events is a model bug.
 */
final class VirtualSpinLock implements SpinLock {

    private final VirtualSerialResource resource;
    private final CostCategory waitCategory;
    private final long handoffNs;
    private VirtualCpu holder;
    private VirtualCpu lastHolder;

    VirtualSpinLock(VirtualSerialResource resource, CostCategory waitCategory, long handoffNs) {
        this.resource = resource;
        this.waitCategory = waitCategory;
        this.handoffNs = handoffNs;
    }

    @Override
    public void lock(Cpu cpu) {
        VirtualCpu c = (VirtualCpu) cpu;
        if (holder != null) {
            throw new IllegalStateException(resource.name() + " taken by " + c + " while held by " + holder);
        }
        resource.acquire(c, waitCategory, handoffNs);
        c.spend(Cost.SPIN_LOCK);
        if (lastHolder != null && lastHolder != c && waitCategory == CostCategory.LOCK_WAIT) {
            c.spend(Cost.LOCK_LINE_TRANSFER);
        }
        holder = c;
        lastHolder = c;
    }

    @Override
    public void unlock(Cpu cpu) {
        if (holder != cpu) {
            throw new IllegalStateException(resource.name() + " released by " + cpu + " but held by " + holder);
        }
        holder = null;
        resource.release((VirtualCpu) cpu);
    }
}
