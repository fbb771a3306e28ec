package org.iommulab.policy;

import org.iommulab.platform.PlatformKind;

/**
 * No translation: the device sees physical addresses, as with no IOMMU, {@code iommu.passthrough=1}
 * or an identity domain (kernel/dma/direct.c): no IOVA, no page tables, no invalidation, and
 * under a hypervisor no virtual IOMMU, so no exits for DMA. The baseline published comparisons are
 * given against. s390 has always translated, so there it is a what-if, and runs say so.
 */
final class DirectPolicy implements InvalidationPolicy {

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public String description() {
        return "no translation (no IOMMU or passthrough): the baseline; a what-if on s390, which always translates";
    }

    @Override
    public boolean translates() {
        return false;
    }

    @Override
    public DmaSetup setup(PlatformKind platform, QueueSettings settings) {
        return new DmaSetup.Direct();
    }

    @Override
    public String toString() {
        return name();
    }
}
