package org.iommulab.policy;

import org.iommulab.platform.PlatformKind;

/**
 * A way of invalidating the IOTLB after unmaps: the one thing a user varies to ask what a policy
 * costs. Implementations are stateless; {@link #setup} builds what one run needs.
 */
public interface InvalidationPolicy {

    /** The command-line name, lower case with dashes. */
    String name();

    /** One line for help texts and {@code docs/policies.md}. */
    String description();

    /** Whether the policy exists on {@code platform}; the old s390 DMA API needs s390. */
    default boolean runsOn(PlatformKind platform) {
        return true;
    }

    /** The policy a run on {@code platform} uses: itself, except for one that stands for the kernel's choice. */
    default InvalidationPolicy resolve(PlatformKind platform) {
        return this;
    }

    /** Whether the device's DMA is translated, so that there is an isolation protocol to check. */
    default boolean translates() {
        return true;
    }

    /** Whether {@code --fq-size} and {@code --fq-timeout-ms} mean something to it. */
    default boolean takesQueueSettings() {
        return false;
    }

    /**
     * How the guest's DMA layer is set up for a run on {@code platform}.
     *
     * @param settings the user's queue size and timeout, or their defaults
     * @throws IllegalArgumentException naming a setting the policy cannot take
     */
    DmaSetup setup(PlatformKind platform, QueueSettings settings);
}
