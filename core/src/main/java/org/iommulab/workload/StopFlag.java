package org.iommulab.workload;

/**
 * Set when a workload's runtime is over: from then on nothing new is submitted and what is in
 * flight finishes, as fio waits for its outstanding I/O when its runtime ends.
 */
final class StopFlag {

    /** Volatile: on real threads, the caller's stop reaches CPUs running the workload. */
    private volatile boolean stopped;

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }
}
