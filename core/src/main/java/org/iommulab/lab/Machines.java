package org.iommulab.lab;

import org.iommulab.fault.FaultInjector;
import org.iommulab.fault.FaultKind;
import org.iommulab.intel.X86IommuConfig;
import org.iommulab.kernel.Device;
import org.iommulab.policy.DmaSetup;
import org.iommulab.sim.Engine;
import org.iommulab.stats.StaleWindowTracker;

/** Builds the {@link Machine} a scenario's platform needs. */
public final class Machines {

    private Machines() {}

    /**
     * Builds the machine, with the scenario's faults injected where they apply, seeded by its seed.
     *
     * @param engine a virtual engine for simulations, a native one for runs on real threads
     * @param tracker told about every unmap and invalidation, or null to track nothing
     */
    public static Machine build(Scenario s, Engine engine, StaleWindowTracker tracker) {
        FaultInjector faults = new FaultInjector(s.faults(), s.seed());
        Machine m;
        if (s.dmaSetup() instanceof DmaSetup.Direct) {
            m = new DirectMachine(s, faults);
        } else {
            m = switch (s.platform()) {
                case LPAR, ZVM, KVM -> new S390Machine(engine, s, tracker, faults);
                case VIRTIO -> IommuMachine.virtio(engine, s, tracker, faults);
                case X86 -> IommuMachine.x86(engine, s, tracker, X86IommuConfig.defaults(), faults);
                case X86_CM -> IommuMachine.x86(engine, s, tracker, X86IommuConfig.virtualCachingMode(), faults);
                case SMMUV3 -> IommuMachine.smmuv3(engine, s, tracker, faults);
            };
        }
        for (Device d : m.devices()) {
            d.setTransferErrors(faults.attr(FaultKind.DEVICE_ERROR));
        }
        return m;
    }
}
