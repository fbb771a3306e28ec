/**
 * drivers/iommu/intel/iommu.c (VT-d) as of Linux v6.7 on bare metal: second-level page tables,
 * an IOTLB, and the invalidation queue with page-selective and domain-selective descriptors and a
 * wait descriptor for completion.
 */
package org.iommulab.platform.x86;
