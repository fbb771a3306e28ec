package org.iommulab.nativebench;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaOps;
import org.iommulab.lab.Machine;
import org.iommulab.lab.Machines;
import org.iommulab.lab.Scenario;
import org.iommulab.sim.threads.NativeEngine;

/**
 * A scenario's platform and DMA layer assembled exactly as a simulation assembles them, but on a
 * {@link NativeEngine}: one CPU per scenario CPU, each to be driven by one Java thread. No stale
 * window tracker is attached, so nothing serialises the threads beyond what the model itself
 * locks.
 */
public final class NativeSetup implements AutoCloseable {

    private final NativeEngine engine;
    private final Machine machine;

    private NativeSetup(NativeEngine engine, Machine machine) {
        this.engine = engine;
        this.machine = machine;
    }

    /** @param emulateCosts busy-wait each cost for its value in the scenario's cost model; else costs are free */
    public static NativeSetup of(Scenario s, boolean emulateCosts) {
        NativeEngine engine = new NativeEngine(s.cpus(), s.costs(), emulateCosts);
        try {
            return new NativeSetup(engine, Machines.build(s, engine, null));
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public NativeEngine engine() {
        return engine;
    }

    public Machine machine() {
        return machine;
    }

    /** The machine's one device. */
    public Device device() {
        return machine.devices()[0];
    }

    public DmaOps ops() {
        return device().dmaOps();
    }

    /** Stops the engine's timer thread. */
    @Override
    public void close() {
        engine.close();
    }
}
