package org.iommulab.dma;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.DmaSetup;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.policy.QueueSettings;
import org.iommulab.sim.Engine;

/**
 * A registered policy that uses dma-iommu, as the checkers run it: with queues small enough to
 * fill and wrap often. Every such policy in the registry goes through the same checkers.
 */
record FlushMode(InvalidationPolicy policy, DmaSetup.Iommu setup) {

    /** Queue settings for the checkers: 8 entries, 1 ms. */
    static final QueueSettings SMALL = new QueueSettings(8, 1);

    /** Every registered policy but auto that sets up dma-iommu (on x86, whose IOMMU the ideal one stands for). */
    static List<FlushMode> all() {
        List<FlushMode> out = new ArrayList<>();
        for (InvalidationPolicy p : Policies.concrete()) {
            if (p.runsOn(PlatformKind.X86)
                    && p.setup(PlatformKind.X86, p.takesQueueSettings() ? SMALL : QueueSettings.DEFAULTS)
                            instanceof DmaSetup.Iommu setup) {
                out.add(new FlushMode(p, setup));
            }
        }
        return out;
    }

    IommuBootParams params() {
        return IommuBootParams.defaults().withStrict(setup.strict());
    }

    DmaIommuOptions options() {
        return setup.options();
    }

    DomainType type() {
        return setup.strict() ? DomainType.DMA : DomainType.DMA_FQ;
    }

    /** Whether the domain gets the kernel's own per-CPU or single queues. */
    boolean kernelQueues() {
        return setup.queues() == DeferredFlush.kernelQueues();
    }

    boolean strict() {
        return setup.strict();
    }

    /** A machine on the ideal IOMMU set up as this policy asks. */
    TestMachine machine(Engine engine, IdealIommu.Config config) {
        return new TestMachine(engine, params(), new IdealIommu(config), options(), null,
                setup.queues());
    }

    @Override
    public String toString() {
        return policy.name();
    }
}
