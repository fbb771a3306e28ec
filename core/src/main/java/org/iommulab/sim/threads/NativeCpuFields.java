package org.iommulab.sim.threads;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.iommulab.sim.CachelineAligned;
import org.iommulab.sim.CostModel;

/** The fields of a {@link NativeCpu}, alone on their cache lines: its thread writes them on every clock read. */
abstract class NativeCpuFields extends CachelineAligned {

    int id;
    /** The last clock reading on this CPU; read and written opaquely, so never torn. */
    long lastNowNs;
    /** Set by the timer thread when a timer armed on this CPU expired, cleared by the CPU as it looks. */
    volatile boolean softirqRaised;
    /** The expiries raised on this CPU and not yet looked at. */
    ConcurrentLinkedQueue<NativeTimer.Expiry> raised;
    CostModel costs;
    boolean emulateCosts;
    long baseNs;
    /** Told when a softirq is raised, so an idle {@link CpuLoop} wakes to run it. */
    Quiescence quiescence;
}
