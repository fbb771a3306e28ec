package org.iommulab.iommu;

/**
 * {@code struct iommu_domain_geometry}: the inclusive bus-address range a domain can translate.
 *
 * @param forceAperture DMA outside the aperture is impossible, so IOVAs must stay inside it
 */
public record DomainGeometry(long apertureStart, long apertureEnd, boolean forceAperture) {

    public DomainGeometry {
        if (Long.compareUnsigned(apertureStart, apertureEnd) > 0) {
            throw new IllegalArgumentException(
                    "aperture start 0x" + Long.toHexString(apertureStart) + " above end 0x" + Long.toHexString(apertureEnd));
        }
    }
}
