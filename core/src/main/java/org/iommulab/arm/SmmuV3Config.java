package org.iommulab.arm;

import org.iommulab.config.Reference;

/**
 * The features of one SMMUv3 that change what its driver sends.
 *
 * @param tlbEntries translations the SMMU's TLB holds; not published per implementation, so the
 *     default of 1024 is an assumption, as for VT-d
 * @param rangeInvalidation {@code ARM_SMMU_FEAT_RANGE_INV} (IDR3.RIL, SMMUv3.2 and later, e.g.
 *     Arm's MMU-700): one TLBI command covers up to 31 x 2^scale pages instead of one per page
 * @param ats the device has PCIe ATS enabled: it caches translations in its own ATC, which every
 *     invalidation must reach with ATC_INV commands ({@code arm_smmu_atc_inv_domain})
 */
public record SmmuV3Config(int tlbEntries, boolean rangeInvalidation, boolean ats) {

    /** The reference configuration's SMMU: an SMMUv3.2 with range invalidation, a 1024-entry TLB, no ATS. */
    public static final SmmuV3Config DEFAULTS = new SmmuV3Config(Reference.integer("iommus", "smmuv3", "tlbEntries"),
            Reference.bool("iommus", "smmuv3", "rangeInvalidation"), Reference.bool("iommus", "smmuv3", "ats"));

    public SmmuV3Config {
        if (tlbEntries < 1) {
            throw new IllegalArgumentException("tlbEntries " + tlbEntries + " must be at least 1");
        }
    }

    public SmmuV3Config withRangeInvalidation(boolean on) {
        return new SmmuV3Config(tlbEntries, on, ats);
    }

    public SmmuV3Config withAts(boolean on) {
        return new SmmuV3Config(tlbEntries, rangeInvalidation, on);
    }
}
