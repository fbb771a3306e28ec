package org.iommulab.stats;

/**
 * What the device's own DMA met on its way to memory: translations its IOTLB (or its IOMMU's)
 * had to walk, each costing device time, and accesses that found no translation or not the
 * needed permission, each failing its I/O.
 */
public record DeviceCounts(long iotlbMisses, long translationFaults) {}
