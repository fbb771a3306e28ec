package org.iommulab.policy;

import java.util.List;
import java.util.stream.Collectors;
import org.iommulab.iommu.DmaIommuOptions.QueueType;

/**
 * The registry of invalidation policies: everything that lists, parses or iterates over policies
 * (the CLI, reproduce, stress, the benchmarks, the checkers) reads {@link #all()}. A new policy is
 * its class plus one line in {@link #ALL}.
 */
public final class Policies {

    /** What Linux 6.7 picks on the platform. */
    public static final InvalidationPolicy AUTO = new AutoPolicy();
    /** The old s390 DMA API. */
    public static final InvalidationPolicy LEGACY = new LegacyS390Policy(false);
    /** The old s390 DMA API, strict. */
    public static final InvalidationPolicy LEGACY_STRICT = new LegacyS390Policy(true);
    /** dma-iommu, strict. */
    public static final InvalidationPolicy STRICT = new StrictPolicy();
    /** dma-iommu, per-CPU flush queues. */
    public static final InvalidationPolicy LAZY_PERCPU = new KernelQueuePolicy(QueueType.PER_CPU);
    /** dma-iommu, the single flush queue. */
    public static final InvalidationPolicy LAZY_SINGLE = new KernelQueuePolicy(QueueType.SINGLE);
    /** Per-CPU queues flushed together by a deadline on the stale window. */
    public static final InvalidationPolicy DEADLINE = new DeadlinePolicy(false);
    /** The deadline queue with ranged invalidations where cheaper. */
    public static final InvalidationPolicy DEADLINE_RANGED = new DeadlinePolicy(true);
    /** No translation: the baseline. */
    public static final InvalidationPolicy DIRECT = new DirectPolicy();

    private static final List<InvalidationPolicy> ALL = List.of(
            AUTO,
            LEGACY,
            LEGACY_STRICT,
            STRICT,
            LAZY_PERCPU,
            LAZY_SINGLE,
            DEADLINE,
            DEADLINE_RANGED,
            DIRECT);

    private Policies() {
    }

    /** Every registered policy, in the order help texts list them. */
    public static List<InvalidationPolicy> all() {
        return ALL;
    }

    /** Every registered policy that is a policy of its own, not a stand-in for the kernel's choice. */
    public static List<InvalidationPolicy> concrete() {
        return ALL.stream().filter(p -> p != AUTO).toList();
    }

    /** The concrete policies that translate, and so have an isolation protocol the checkers test. */
    public static List<InvalidationPolicy> translating() {
        return concrete().stream().filter(InvalidationPolicy::translates).toList();
    }

    /** @throws IllegalArgumentException naming the value and the registered names */
    public static InvalidationPolicy byName(String name) {
        for (InvalidationPolicy p : ALL) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("DMA mode '" + name + "' is not one of " + names(ALL));
    }

    /** The names of {@code policies}, comma-separated. */
    public static String names(List<InvalidationPolicy> policies) {
        return policies.stream().map(InvalidationPolicy::name).collect(Collectors.joining(", "));
    }
}
