package org.iommulab.policy;

import org.iommulab.platform.PlatformKind;

/**
 * What Linux 6.7 picks: lazy (the x86 and s390 Kconfig default), with the single queue where the
 * device has {@code shadow_on_flush} (z/VM and KVM set the refresh bit); strict on virtio-iommu,
 * whose v6.7 driver lacks {@code IOMMU_CAP_DEFERRED_FLUSH} (added in v6.8), so dma-iommu falls
 * back to a strict domain. Without user queue settings the kernel model itself chooses the
 * options, as the kernel does; with them, the resolved policy takes them.
 */
final class AutoPolicy implements InvalidationPolicy {

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public String description() {
        return "what Linux 6.7 picks on the platform: lazy-single on kvm and zvm, strict on virtio, lazy-percpu elsewhere";
    }

    @Override
    public InvalidationPolicy resolve(PlatformKind platform) {
        return switch (platform) {
            case LPAR, X86 -> Policies.LAZY_PERCPU;
            case ZVM, KVM -> Policies.LAZY_SINGLE;
            case VIRTIO -> Policies.STRICT;
        };
    }

    @Override
    public DmaSetup setup(PlatformKind platform, QueueSettings settings) {
        InvalidationPolicy resolved = resolve(platform);
        if (!settings.isDefault()) {
            return resolved.setup(platform, settings);
        }
        return DmaSetup.Iommu.kernel(resolved == Policies.STRICT, null);
    }

    @Override
    public String toString() {
        return name();
    }
}
