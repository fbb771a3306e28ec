/**
 * An ideal IOMMU driver for tests and benchmarks, a sibling of the real ones: its translation and
 * invalidation cost nothing, so the DMA layer above it is measured alone, with an IOVA safety
 * checker that watches every map, unmap and flush.
 */
package org.iommulab.ideal;
