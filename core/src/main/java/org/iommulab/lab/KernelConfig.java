package org.iommulab.lab;

import org.iommulab.iommu.IommuBootParams;
import org.iommulab.platform.PlatformKind;
import org.iommulab.sim.TimerWheel;

/**
 * The guest kernel's build and boot choices a run can vary beyond the policy.
 *
 * @param hz {@code CONFIG_HZ}, which its timers fire on, or 0 for the platform's usual one
 * @param rcacheMaxOrder the IOVA rcaches' size classes ({@code IOVA_RANGE_CACHE_MAX_SIZE}, 6 in Linux)
 * @param optSizeCap dma-iommu reports the rcache range as {@code dma_opt_mapping_size} (Linux since 5.19)
 */
public record KernelConfig(int hz, int rcacheMaxOrder, boolean optSizeCap) {

    /** Linux as it is: the platform's HZ, 6 rcache size classes, the cap reported. */
    public static final KernelConfig DEFAULTS =
            new KernelConfig(0, IommuBootParams.DEFAULT_RCACHE_MAX_ORDER, IommuBootParams.defaults().optSizeCap());

    public KernelConfig {
        if (hz != 0) {
            new TimerWheel(hz); // an HZ the kernel does not offer, refused now
        }
        IommuBootParams.defaults().withRcacheMaxOrder(rcacheMaxOrder); // an order out of range, refused now
    }

    /** The timer wheel on {@code platform}: {@link #hz}, or the platform's usual one. */
    TimerWheel timerWheel(PlatformKind platform) {
        return new TimerWheel(hz != 0 ? hz : platform.defaultHz());
    }

    /** {@code params} with these choices' rcache range and cap. */
    IommuBootParams apply(IommuBootParams params) {
        return params.withRcacheMaxOrder(rcacheMaxOrder).withOptSizeCap(optSizeCap);
    }
}
