package org.iommulab.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.iommulab.platform.PlatformKind;

/** How the guest's DMA is translated and invalidated, by the command-line names. */
public enum DmaMode {
    /** What Linux 6.7 picks on the platform ({@link #resolve}). */
    AUTO,
    /** The old s390 DMA API (arch/s390/pci/pci_dma.c before v6.7): flush when the bitmap wraps. */
    LEGACY,
    /** The old s390 DMA API with {@code s390_iommu=strict}: an RPCIT on every unmap. */
    LEGACY_STRICT,
    /** dma-iommu, domain type DMA: every unmap flushed before its IOVA is freed. */
    STRICT,
    /** dma-iommu, DMA-FQ with per-CPU flush queues (default 256 entries, 10 ms). */
    LAZY_PERCPU,
    /** dma-iommu, DMA-FQ with the single flush queue (default 32768 entries, 1000 ms). */
    LAZY_SINGLE;

    /** The command-line name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for the modes that defer invalidation to dma-iommu's flush queues. */
    public boolean flushQueued() {
        return this == LAZY_PERCPU || this == LAZY_SINGLE;
    }

    /** True for the modes of the old s390 DMA API. */
    public boolean legacy() {
        return this == LEGACY || this == LEGACY_STRICT;
    }

    /**
     * What Linux 6.7 picks on {@code platform}: lazy (the x86 and s390 Kconfig default), with the
     * single queue where the device has {@code shadow_on_flush} (z/VM and KVM set the refresh
     * bit); strict on virtio-iommu, whose v6.7 driver lacks {@code IOMMU_CAP_DEFERRED_FLUSH}
     * (added in v6.8), so dma-iommu falls back to a strict domain.
     */
    public DmaMode resolve(PlatformKind platform) {
        if (this != AUTO) {
            return this;
        }
        return switch (platform) {
            case LPAR, X86 -> LAZY_PERCPU;
            case ZVM, KVM -> LAZY_SINGLE;
            case VIRTIO -> STRICT;
        };
    }

    /** @throws IllegalArgumentException naming the value and the allowed ones */
    public static DmaMode parse(String name) {
        for (DmaMode m : values()) {
            if (m.cliName().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("DMA mode '" + name + "' is not one of "
                + Arrays.stream(values()).map(DmaMode::cliName).collect(Collectors.joining(", ")));
    }
}
