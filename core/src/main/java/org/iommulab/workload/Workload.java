package org.iommulab.workload;

import java.util.List;

import org.iommulab.kernel.Device;
import org.iommulab.sim.Scheduler;

/**
 * A load on top of the DMA API, as a driver and its benchmark put it there. It reaches the
 * devices only through their {@link org.iommulab.kernel.DmaOps}, never the IOMMU layer beneath.
 * {@link #start} queues its first work on the engine; the caller then runs the engine for the
 * run's duration and reads {@link #result}.
 */
public interface Workload {

    /** The workload's name: fio, netperf or mapbench. */
    String name();

    /**
     * Queues the workload's first events on {@code engine}, driving {@code devices}.
     *
     * @throws IllegalArgumentException when the devices do not fit the workload
     * @throws IllegalStateException when already started
     */
    void start(Scheduler engine, Device... devices);

    /**
     * Ends the runtime: nothing new is submitted from now on, and what is in flight finishes as the
     * engine keeps running, so that every I/O ends completed or failed.
     */
    void stop();

    /** What the workload did so far, with its accounting identity checked. */
    IoResult result();

    /**
     * The I/Os submitted and not yet ended, by the accounting (submitted - completed - failed):
     * what a caller waiting for the workload to drain reads after each step, so it costs a few
     * additions where {@link #result} copies the latency histogram.
     */
    long inFlight();

    /** What only this workload can tell about its run, one line each; none unless it says so. */
    default List<String> notes() {
        return List.of();
    }
}
