package org.iommulab.policy;

import org.iommulab.platform.PlatformKind;

/** dma-iommu with {@code iommu.strict=1}: every unmap is invalidated before its IOVA is freed. */
final class StrictPolicy implements InvalidationPolicy {

    @Override
    public String name() {
        return "strict";
    }

    @Override
    public String description() {
        return "dma-iommu, DMA domain: every unmap flushed before its IOVA is freed";
    }

    @Override
    public DmaSetup setup(PlatformKind platform, QueueSettings settings) {
        return DmaSetup.Iommu.kernel(true, null);
    }

    @Override
    public String toString() {
        return name();
    }
}
