package org.iommulab.iommu;

import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;

/**
 * {@code struct iommu_domain_ops} of a paging domain (include/linux/iommu.h, v6.7): what a driver
 * does for one translation domain. Errors come back as negative errnos, never as exceptions, and
 * every operation takes the CPU it runs on.
 */
public interface IommuDomainOps {

    /** Attaches {@code dev}, registering the domain's tables with the hardware; 0 or -errno. */
    int attachDev(Device dev);

    /** Detaches {@code dev}; its DMA is blocked afterwards. */
    void detachDev(Device dev);

    /**
     * {@code map_pages}: maps {@code pgcount} pages of {@code pgsize} bytes from {@code paddr} at
     * {@code iova} with {@link IommuProt} bits {@code prot}.
     *
     * @return the bytes mapped (all of them on success), or -errno, in which case the driver has
     *     already undone whatever part of this call it had mapped
     */
    long mapPages(Cpu cpu, long iova, long paddr, long pgsize, long pgcount, int prot);

    /**
     * {@code unmap_pages}: clears the translations and adds the range to {@code gather}.
     *
     * @return the bytes unmapped
     */
    long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather);

    /** {@code flush_iotlb_all}: invalidates every IOTLB entry of the domain. */
    void flushIotlbAll(Cpu cpu);

    /**
     * {@code iotlb_sync_map}: makes a new mapping visible where the hardware or hypervisor needs to
     * be told (s390 with tlb_refresh, virtio-iommu); may fail since Linux 6.7.
     *
     * @return 0 or -errno
     */
    int iotlbSyncMap(Cpu cpu, long iova, long size);

    /** {@code iotlb_sync}: invalidates what {@code gather} collected. */
    void iotlbSync(Cpu cpu, IotlbGather gather);

    /** {@code iova_to_phys}: the physical address {@code iova} translates to, or 0. */
    long iovaToPhys(long iova);

    DomainGeometry geometry();

    /** {@code pgsize_bitmap}: every page size the domain can map, one bit per size. */
    long pgsizeBitmap();

    /** Frees the domain and its tables. */
    void free();
}
