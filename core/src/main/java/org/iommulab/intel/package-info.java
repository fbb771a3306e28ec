/**
 * drivers/iommu/intel/iommu.c (VT-d) as of Linux v6.7: second-level page tables, an IOTLB, and
 * the invalidation queue with page-selective and domain-selective descriptors and a wait
 * descriptor for completion. In caching mode (a guest's virtual VT-d) the queue's tail write goes
 * to the VMM behind the unit ({@link org.iommulab.intel.CachingModeHost}), which QEMU's model in
 * {@code platform.qemu} implements.
 */
package org.iommulab.intel;
