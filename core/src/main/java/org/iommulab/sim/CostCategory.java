package org.iommulab.sim;

/** Where the time a {@link Cost} stands for is booked in a run's CPU breakdown. */
public enum CostCategory {
    /** The device driver and block/network stack around each I/O. */
    DRIVER,
    /** dma-iommu or the legacy s390 DMA API itself, outside the parts below. */
    DMA,
    /** IOVA allocation and freeing: rcache and rbtree, or the legacy bitmap. */
    IOVA,
    /** Writing and clearing translation-table entries, allocating tables. */
    PAGE_TABLE,
    /** Issuing IOTLB invalidations as the guest sees them (RPCIT, queued invalidation, kicks). */
    FLUSH,
    /** Spinning on a lock another CPU holds. */
    LOCK_WAIT,
    /** Time the hypervisor spends handling a trapped flush on the guest CPU's behalf. */
    HYPERVISOR,
    /** Time on the device, not on any CPU (latency of a transfer). */
    DEVICE
}
