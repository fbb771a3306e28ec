package org.iommulab.lab;

import org.iommulab.intel.X86IommuConfig;
import org.iommulab.policy.DmaSetup;
import org.iommulab.sim.Engine;
import org.iommulab.stats.StaleWindowTracker;

/** Builds the {@link Machine} a scenario's platform needs. */
public final class Machines {

    private Machines() {}

    /**
     * @param engine a virtual engine for simulations, a native one for runs on real threads
     * @param tracker told about every unmap and invalidation, or null to track nothing
     */
    public static Machine build(Scenario s, Engine engine, StaleWindowTracker tracker) {
        if (s.dmaSetup() instanceof DmaSetup.Direct) {
            return new DirectMachine(s);
        }
        return switch (s.platform()) {
            case LPAR, ZVM, KVM -> new S390Machine(engine, s, tracker);
            case VIRTIO -> IommuMachine.virtio(engine, s, tracker);
            case X86 -> IommuMachine.x86(engine, s, tracker, X86IommuConfig.defaults());
            case X86_CM -> IommuMachine.x86(engine, s, tracker, X86IommuConfig.virtualCachingMode());
            case SMMUV3 -> IommuMachine.smmuv3(engine, s, tracker);
        };
    }
}
