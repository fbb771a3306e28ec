package org.iommulab.kernel;

import org.iommulab.sim.Cpu;

/**
 * How a driver's register writes reach its device ({@code writel} of a doorbell): natively, at no
 * cost beyond the driver's own, or through a hypervisor that intercepts them. The platform decides;
 * the driver only says when it writes.
 */
@FunctionalInterface
public interface Mmio {

    /** Register accesses go straight to the device. */
    Mmio DIRECT = cpu -> { };

    /** One register write by {@code cpu}. */
    void write(Cpu cpu);
}
