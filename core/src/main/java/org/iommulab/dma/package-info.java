/**
 * drivers/iommu/dma-iommu.c as of Linux v6.7: the DMA API on top of an IOMMU domain, with its
 * invalidation policies. Strict mode invalidates in every unmap; lazy mode queues the freed IOVAs
 * in flush queues (per-CPU rings of 256 entries and a 10 ms timer, or the series' single queue of
 * a power-of-2 size and its own timeout) and frees them only after a domain-wide flush that
 * started after their unmap. {@link org.iommulab.dma.DmaDirect} is kernel/dma/direct.c, the
 * no-translation path. Subpackage {@code legacy} is the old s390 DMA API the series replaced.
 */
package org.iommulab.dma;
