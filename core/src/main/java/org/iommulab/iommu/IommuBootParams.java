package org.iommulab.iommu;

import org.iommulab.config.Records;
import org.iommulab.config.Reference;

/**
 * The kernel command-line switches of the IOMMU layer (drivers/iommu/iommu.c and dma-iommu.c,
 * v6.7), with the Kconfig default of x86 and s390: lazy invalidation (DMA-FQ) unless told
 * otherwise.
 *
 * @param strict {@code iommu.strict=1}: DMA domains invalidate on every unmap (type DMA)
 * @param passthrough {@code iommu.passthrough=1}: identity domains by default
 * @param forcedac {@code iommu.forcedac=1}: skip the "try below 4 GiB first" IOVA step (s390
 *     sets it in {@code s390_iommu_init()})
 * @param singleQueueForAll every device gets the single flush queue as if it had
 *     {@code shadow_on_flush}: not a kernel parameter but the change the series' author made to
 *     verify the scheme on x86
 * @param rcacheMaxOrder {@code IOVA_RANGE_CACHE_MAX_SIZE}: the IOVA rcaches serve sizes below
 *     2^(order-1) granules (6 in Linux, 128 KiB); not a kernel parameter but the knob John Garry's
 *     series "iommu: Allow iova rcache range be configured" (2021) proposed
 * @param optSizeCap report the rcache range as {@code dma_opt_mapping_size}, as Linux does since
 *     5.19, so drivers such as nvme size their requests below it; off, they do not
 */
public record IommuBootParams(boolean strict, boolean passthrough, boolean forcedac, boolean singleQueueForAll,
        int rcacheMaxOrder, boolean optSizeCap) {

    /** Linux's {@code IOVA_RANGE_CACHE_MAX_SIZE}. */
    public static final int DEFAULT_RCACHE_MAX_ORDER = Reference.integer("kernel", "rcacheMaxOrder");
    /** The largest order offered: rcaches up to 2^15 granules (128 MiB of 4 KiB pages). */
    public static final int MAX_RCACHE_MAX_ORDER = 16;

    public IommuBootParams {
        if (rcacheMaxOrder < 1 || rcacheMaxOrder > MAX_RCACHE_MAX_ORDER) {
            throw new IllegalArgumentException("--rcache-max-order " + rcacheMaxOrder + "; allowed 1.." + MAX_RCACHE_MAX_ORDER);
        }
    }

    /** No switches: lazy DMA domains with per-CPU queues, as the x86 and s390 Kconfig default. */
    public static IommuBootParams defaults() {
        return new IommuBootParams(false, false, false, false, DEFAULT_RCACHE_MAX_ORDER,
                Reference.bool("kernel", "optSizeCap"));
    }

    public IommuBootParams withStrict(boolean value) {
        return Records.with(this, "strict", value);
    }

    public IommuBootParams withPassthrough(boolean value) {
        return Records.with(this, "passthrough", value);
    }

    public IommuBootParams withForcedac(boolean value) {
        return Records.with(this, "forcedac", value);
    }

    public IommuBootParams withSingleQueueForAll(boolean value) {
        return Records.with(this, "singleQueueForAll", value);
    }

    public IommuBootParams withRcacheMaxOrder(int order) {
        return Records.with(this, "rcacheMaxOrder", order);
    }

    public IommuBootParams withOptSizeCap(boolean value) {
        return Records.with(this, "optSizeCap", value);
    }

    /** {@code iommu_def_domain_type}: the type a group gets when nothing forces another. */
    public DomainType defDomainType() {
        if (passthrough) {
            return DomainType.IDENTITY;
        }
        return strict ? DomainType.DMA : DomainType.DMA_FQ;
    }
}
