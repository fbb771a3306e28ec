package org.iommulab.intel;

/**
 * What one x86 IOMMU unit did: invalidation descriptors by type and its IOTLB's hits and misses.
 *
 * @param psiDescriptors page-selective IOTLB invalidations
 * @param dsiDescriptors domain-selective IOTLB invalidations
 * @param waitDescriptors invalidation waits, each one a CPU spinning until the hardware is done
 */
public record X86IommuStats(
        long psiDescriptors, long dsiDescriptors, long waitDescriptors, long iotlbHits, long iotlbMisses) {}
