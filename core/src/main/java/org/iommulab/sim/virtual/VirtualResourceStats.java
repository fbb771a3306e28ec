package org.iommulab.sim.virtual;

/**
 * What a {@link VirtualSerialResource} (or a lock built on one) saw in a run.
 *
 * @param acquisitions every use
 * @param contended uses that found it busy and waited
 * @param waitNs the total wait of all uses
 * @param busyNs the total time it was held, working or being handed over, waits excluded
 */
public record VirtualResourceStats(String name, long acquisitions, long contended, long waitNs, long busyNs) {}
