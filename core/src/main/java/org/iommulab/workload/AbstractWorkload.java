package org.iommulab.workload;

import org.iommulab.kernel.Device;
import org.iommulab.sim.Scheduler;

/**
 * What every workload does alike: it has a name, starts once on devices that have DMA ops, and
 * keeps the stop flag its drivers read before they submit anything new.
 */
abstract class AbstractWorkload implements Workload {

    /** Set by {@link #stop}; what runs on the engine reads it before submitting. */
    protected final StopFlag stop = new StopFlag();
    private final String name;
    private boolean started;

    protected AbstractWorkload(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void start(Scheduler engine, Device... devices) {
        if (started) {
            throw new IllegalStateException(name + " already started");
        }
        Devices.requireDmaOps(name, devices);
        started = true;
        begin(engine, devices);
    }

    /** Sets the devices up and queues the first work on {@code engine}, as {@link #start} says. */
    protected abstract void begin(Scheduler engine, Device... devices);

    @Override
    public final void stop() {
        stop.stop();
    }
}
