package org.iommulab.iommu;

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
 */
public record IommuBootParams(boolean strict, boolean passthrough, boolean forcedac, boolean singleQueueForAll) {

    /** No switches: lazy DMA domains with per-CPU queues, as the x86 and s390 Kconfig default. */
    public static IommuBootParams defaults() {
        return new IommuBootParams(false, false, false, false);
    }

    public IommuBootParams withStrict(boolean value) {
        return new IommuBootParams(value, passthrough, forcedac, singleQueueForAll);
    }

    public IommuBootParams withPassthrough(boolean value) {
        return new IommuBootParams(strict, value, forcedac, singleQueueForAll);
    }

    public IommuBootParams withForcedac(boolean value) {
        return new IommuBootParams(strict, passthrough, value, singleQueueForAll);
    }

    public IommuBootParams withSingleQueueForAll(boolean value) {
        return new IommuBootParams(strict, passthrough, forcedac, value);
    }

    /** {@code iommu_def_domain_type}: the type a group gets when nothing forces another. */
    public DomainType defDomainType() {
        if (passthrough) {
            return DomainType.IDENTITY;
        }
        return strict ? DomainType.DMA : DomainType.DMA_FQ;
    }
}
