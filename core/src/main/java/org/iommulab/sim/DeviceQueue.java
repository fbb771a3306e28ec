package org.iommulab.sim;

/** A device's queue that serves one job at a time, each as long as it takes: "busy until T". */
public interface DeviceQueue {

    /**
     * A job of {@code durationNs} arriving at {@code atNs}: it starts when the queue is free, which
     * then stays busy until it ends.
     *
     * @return the job's start time
     */
    long reserve(long atNs, long durationNs);
}
