/**
 * An ideal IOMMU for tests and benchmarks: an IOMMU driver whose translation and invalidation
 * cost nothing, so the DMA layer above it is measured alone, with an IOVA safety checker that
 * watches every map, unmap and flush.
 */
package org.iommulab.platform.ideal;
