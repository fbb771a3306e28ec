package org.iommulab.policy;

import org.iommulab.config.Reference;
import org.iommulab.dma.DeadlineQueues;
import org.iommulab.dma.RangeFlushCost;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.platform.PlatformKind;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;

/**
 * The deadline queue ({@link DeadlineQueues}): per-CPU rings, one flush for all of them when the
 * oldest entry reaches the window bound ({@code --fq-timeout-ms}, alias {@code --max-stale-ms}),
 * or sooner when the measured flush cost spread over the queued pages falls below a budget. The
 * ranged variant invalidates the queued ranges instead of the whole domain, when the platform's
 * cost parameters say that is cheaper.
 */
final class DeadlinePolicy implements InvalidationPolicy {

    /** Entries per CPU ring: room for a window's unmaps at a million per second over 8 CPUs. */
    static final int DEFAULT_RING_SIZE = Reference.integer("flushQueues", "deadline", "entries");
    /** The window bound, ms. */
    static final int DEFAULT_MAX_STALE_MS = Reference.integer("flushQueues", "deadline", "maxStaleMs");
    /**
     * Flush time each queued page may carry for the deadline to be pulled in, ns: a choice of this
     * policy (about 3% of the 3.3 us of CPU an LPAR fio I/O costs), not a platform cost.
     */
    static final long BUDGET_NS_PER_PAGE = Reference.longValue("flushQueues", "deadline", "budgetNsPerPage");

    private final boolean ranged;

    DeadlinePolicy(boolean ranged) {
        this.ranged = ranged;
    }

    @Override
    public String name() {
        return ranged ? "deadline-ranged" : "deadline";
    }

    @Override
    public String description() {
        return "per-CPU queues, one flush for all when the oldest entry is " + DEFAULT_MAX_STALE_MS
                + " ms old or flushing is cheap" + (ranged ? "; ranged invalidations where the platform's costs favour them" : "");
    }

    @Override
    public boolean takesQueueSettings() {
        return true;
    }

    @Override
    public DmaSetup setup(PlatformKind platform, QueueSettings settings) {
        DmaIommuOptions options = DmaIommuOptions.checked(QueueType.PER_CPU, settings.sizeOr(DEFAULT_RING_SIZE),
                settings.timeoutMsOr(DEFAULT_MAX_STALE_MS));
        long maxStaleNs = options.fqTimeoutMs() * 1_000_000L;
        return new DmaSetup.Iommu(false, options, context -> new DeadlineQueues(context, maxStaleNs,
                BUDGET_NS_PER_PAGE, ranged ? rangeCost(platform, context.engine().costs()) : null));
    }

    /** What one ranged invalidation costs on {@code platform}, from the model's parameters. */
    static RangeFlushCost rangeCost(PlatformKind platform, CostModel costs) {
        return switch (platform) {
            case LPAR -> new RangeFlushCost(costs.ns(Cost.RPCIT_LPAR), 0);
            case KVM -> new RangeFlushCost(costs.ns(Cost.KVM_RPCIT_EXIT) + costs.ns(Cost.KVM_RPCIT_LOCKED),
                    costs.ns(Cost.KVM_WALK_PAGE) + costs.ns(Cost.KVM_SHADOW_LOOKUP));
            case ZVM -> new RangeFlushCost(costs.ns(Cost.ZVM_RPCIT_EXIT) + costs.ns(Cost.ZVM_RPCIT_LOCKED)
                    + costs.ns(Cost.ZVM_HW_FLUSH), 0);
            case X86 -> new RangeFlushCost(costs.ns(Cost.X86_INV_DESC) + costs.ns(Cost.VTD_INV_WAIT), 0);
            case X86_CM -> new RangeFlushCost(costs.ns(Cost.X86_INV_DESC) + costs.ns(Cost.VTD_EXIT)
                    + costs.ns(Cost.VTD_INV_LOCKED), costs.ns(Cost.VTD_WALK_ENTRY));
            case VIRTIO -> new RangeFlushCost(costs.ns(Cost.VIRTIO_KICK) + costs.ns(Cost.VIRTIO_REQUEST), 0);
            case SMMUV3 -> new RangeFlushCost(3 * costs.ns(Cost.SMMU_CMDQ_ATOMIC) + 2 * costs.ns(Cost.SMMU_CMD_WRITE)
                    + costs.ns(Cost.SMMU_PROD_WRITE) + costs.ns(Cost.SMMU_CMD_EXEC) + costs.ns(Cost.SMMU_SYNC), 0);
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
