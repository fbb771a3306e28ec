package org.iommulab.lab;

import org.iommulab.sim.VirtualEngine;
import org.iommulab.stats.StaleWindowTracker;

/** Builds the {@link Machine} a scenario's platform needs. */
final class Machines {

    private Machines() {}

    static Machine build(Scenario s, VirtualEngine engine, StaleWindowTracker tracker) {
        return switch (s.platform()) {
            case LPAR, ZVM, KVM -> new S390Machine(engine, s, tracker);
            case VIRTIO -> IommuMachine.virtio(engine, s, tracker);
            case X86 -> IommuMachine.x86(engine, s, tracker);
        };
    }
}
