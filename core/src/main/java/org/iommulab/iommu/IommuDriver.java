package org.iommulab.iommu;

import java.util.List;
import org.iommulab.kernel.Device;

/**
 * {@code struct iommu_ops} (include/linux/iommu.h, v6.7): what an IOMMU driver offers the core for
 * the devices behind it. Implemented by the s390, virtio-iommu, x86 and test drivers.
 */
public interface IommuDriver {

    /** The driver's name, as in log lines. */
    String name();

    /** {@code capable}: whether {@code dev} has {@code cap}. */
    boolean capable(Device dev, IommuCap cap);

    /**
     * {@code probe_device}: takes {@code dev} under this driver; may set
     * {@code dev.iommu().setShadowOnFlush(true)}.
     *
     * @return 0 or -errno
     */
    int probeDevice(Device dev);

    /** {@code domain_alloc_paging}: a new translation domain for {@code dev}. */
    IommuDomainOps domainAllocPaging(Device dev);

    /** {@code get_resv_regions}: ranges the DMA layer must never use for {@code dev}. */
    List<ReservedRegion> getResvRegions(Device dev);

    /** {@code def_domain_type}: a forced default domain type, or null for the core's choice. */
    default DomainType defDomainType(Device dev) {
        return null;
    }

    /** Whether the driver can give {@code dev} an identity (passthrough) domain. */
    default boolean supportsIdentity(Device dev) {
        return false;
    }

    /**
     * {@code tune_dma_iommu} of the series' v7 (dropped in v10 for {@code shadow_on_flush}): lets
     * the driver change the flush-queue options dma-iommu picked for {@code dev}.
     */
    default DmaIommuOptions tuneDmaIommu(Device dev, DmaIommuOptions options) {
        return options;
    }
}
