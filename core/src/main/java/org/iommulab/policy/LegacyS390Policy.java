package org.iommulab.policy;

import org.iommulab.platform.PlatformKind;

/**
 * The old s390 DMA API (arch/s390/pci/pci_dma.c before v6.7): a bitmap allocator that flushes
 * the whole IOTLB when it wraps, or, with {@code s390_iommu=strict}, on every unmap.
 */
final class LegacyS390Policy implements InvalidationPolicy {

    private final boolean strict;

    LegacyS390Policy(boolean strict) {
        this.strict = strict;
    }

    @Override
    public String name() {
        return strict ? "legacy-strict" : "legacy";
    }

    @Override
    public String description() {
        return strict ? "old s390 DMA API with s390_iommu=strict: an RPCIT on every unmap"
                : "old s390 DMA API (before Linux 6.7): one global flush when the bitmap allocator wraps";
    }

    @Override
    public boolean runsOn(PlatformKind platform) {
        return platform.s390();
    }

    @Override
    public DmaSetup setup(PlatformKind platform, QueueSettings settings) {
        return new DmaSetup.LegacyS390(strict);
    }

    @Override
    public String toString() {
        return name();
    }
}
