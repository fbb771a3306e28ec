package org.iommulab.platform.x86;

/**
 * The hardware parameters of one x86 IOMMU unit.
 *
 * @param iotlbEntries translations the hardware IOTLB holds; Intel does not publish IOTLB sizes,
 *     so the default of 1024 is an assumption
 * @param maxAddressMask {@code cap_max_amask_val} (MAMV): the largest page-selective invalidation
 *     covers 2^MAMV pages; larger ranges fall back to a domain-selective one. Default 18, from the
 *     capability register 0x8d2078c106f0466 that Xeon servers report in dmesg ("DMAR: dmar0: ...
 *     cap 8d2078c106f0466"), which is also QEMU's {@code VTD_MAMV}
 */
public record X86IommuConfig(int iotlbEntries, int maxAddressMask) {

    public X86IommuConfig {
        if (iotlbEntries < 1) {
            throw new IllegalArgumentException("iotlbEntries " + iotlbEntries + " must be at least 1");
        }
        if (maxAddressMask < 0 || maxAddressMask > 63) {
            throw new IllegalArgumentException("maxAddressMask " + maxAddressMask + " must be 0..63");
        }
    }

    /** 1024 IOTLB entries, MAMV 18. */
    public static X86IommuConfig defaults() {
        return new X86IommuConfig(1024, 18);
    }
}
