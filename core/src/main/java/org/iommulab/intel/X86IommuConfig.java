package org.iommulab.intel;

import org.iommulab.config.Reference;

/**
 * The hardware parameters of one x86 IOMMU unit.
 *
 * @param iotlbEntries translations the hardware IOTLB holds; Intel does not publish IOTLB sizes,
 *     so the default of 1024 is an assumption
 * @param maxAddressMask {@code cap_max_amask_val} (MAMV): the largest page-selective invalidation
 *     covers 2^MAMV pages; larger ranges fall back to a domain-selective one. Default 18, from the
 *     capability register 0x8d2078c106f0466 that Xeon servers report in dmesg ("DMAR: dmar0: ...
 *     cap 8d2078c106f0466"), which is also QEMU's {@code VTD_MAMV}
 * @param cachingMode CM=1: a virtual VT-d (QEMU's {@code caching-mode=on}, required for vfio
 *     assignment) that may cache not-present entries, so every map is invalidated too, and whose
 *     invalidations QEMU turns into a resync of its shadow ({@link org.iommulab.platform.qemu.VirtualVtd})
 */
public record X86IommuConfig(int iotlbEntries, int maxAddressMask, boolean cachingMode) {

    public X86IommuConfig {
        if (iotlbEntries < 1) {
            throw new IllegalArgumentException("iotlbEntries " + iotlbEntries + " must be at least 1");
        }
        if (maxAddressMask < 0 || maxAddressMask > 63) {
            throw new IllegalArgumentException("maxAddressMask " + maxAddressMask + " must be 0..63");
        }
    }

    /** Bare metal: 1024 IOTLB entries, MAMV 18, no caching mode. */
    public static X86IommuConfig defaults() {
        return new X86IommuConfig(Reference.integer("iommus", "x86", "iotlbEntries"),
                Reference.integer("iommus", "x86", "maxAddressMask"), false);
    }

    /** A guest's virtual VT-d under QEMU with a vfio device: the defaults in caching mode. */
    public static X86IommuConfig virtualCachingMode() {
        return new X86IommuConfig(defaults().iotlbEntries(), defaults().maxAddressMask(), true);
    }
}
