package org.iommulab.platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.iommulab.config.Reference;

/** The machines iommu-lab can put beneath the guest, by their command-line names. */
public enum PlatformKind {
    /** s390 LPAR: firmware executes RPCIT on the hardware IOTLB; no refresh on map. */
    LPAR(true),
    /** s390 guest of z/VM: a shadowing hypervisor, its internals modelled as a profile. */
    ZVM(true),
    /** s390 guest of KVM/QEMU: RPCIT intercepted and resynced by QEMU. */
    KVM(true),
    /** A guest with a virtio-iommu device backed by vfio on the host. */
    VIRTIO(false),
    /** x86 bare metal with a VT-d / AMD-Vi style IOMMU. */
    X86(false),
    /**
     * An x86 guest with QEMU's virtual VT-d in caching mode and a vfio device: every map and unmap
     * is an invalidation QEMU resyncs its shadow from, the main non-s390 shadowing case.
     */
    X86_CM(false),
    /**
     * An Arm server on bare metal with an SMMUv3: invalidations through one command queue that all
     * CPUs share. {@code CONFIG_HZ} 250, the Kconfig default that arm64's defconfig keeps.
     */
    SMMUV3(false);

    private final boolean s390;

    PlatformKind(boolean s390) {
        this.s390 = s390;
    }

    /**
     * The guest kernel's usual {@code CONFIG_HZ}, from the reference configuration: 100 on s390
     * (arch/s390/configs/defconfig sets HZ_100), 250 on arm64 (kernel/Kconfig.hz's default), 1000
     * on x86 (the common distribution setting).
     */
    public int defaultHz() {
        return Reference.integer("kernel", "hz", cliName());
    }

    /** True for the s390 platforms, where the old s390 DMA API can run. */
    public boolean s390() {
        return s390;
    }

    /** The command-line name. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the value and the allowed ones */
    public static PlatformKind parse(String name) {
        for (PlatformKind p : values()) {
            if (p.cliName().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("platform '" + name + "' is not one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(PlatformKind::cliName).collect(Collectors.joining(", "));
    }
}
