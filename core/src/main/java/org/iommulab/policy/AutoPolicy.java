package org.iommulab.policy;

import org.iommulab.platform.PlatformKind;

/**
 * What the kernel picks: lazy (the x86 and s390 Kconfig default), with the single queue where the
 * device has {@code shadow_on_flush} (z/VM and KVM set the refresh bit), per-CPU queues elsewhere.
 * virtio-iommu is modelled as its v6.8 driver, which reports {@code IOMMU_CAP_DEFERRED_FLUSH} and
 * sets no {@code shadow_on_flush}, so it gets per-CPU queues too (the v6.7 driver, without the
 * capability, got a strict domain). Without user queue settings the kernel model itself chooses
 * the options, as the kernel does; with them, the resolved policy takes them. Under a virtual
 * VT-d in caching mode {@code intel_iommu_init} forces strict ("IOMMU batching disallowed due to
 * virtualization"). On arm64 the Kconfig default is strict ({@code IOMMU_DEFAULT_DMA_LAZY} is the
 * default only on x86 and s390).
 */
final class AutoPolicy implements InvalidationPolicy {

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public String description() {
        return "what the kernel picks on the platform: lazy-single on kvm and zvm, strict on x86-cm and smmuv3, lazy-percpu elsewhere";
    }

    @Override
    public InvalidationPolicy resolve(PlatformKind platform) {
        return switch (platform) {
            case LPAR, X86, VIRTIO -> Policies.LAZY_PERCPU;
            case ZVM, KVM -> Policies.LAZY_SINGLE;
            case X86_CM, SMMUV3 -> Policies.STRICT;
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
