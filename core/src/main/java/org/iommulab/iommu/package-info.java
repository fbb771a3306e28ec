/**
 * drivers/iommu/iommu.c and include/linux/iommu.h as of Linux v6.7: the IOMMU core between the
 * DMA layer and a hardware driver. Domains and their types ({@code DMA}, {@code DMA-FQ},
 * identity), groups, the driver and domain ops tables that each guest IOMMU driver fills in, the
 * IOTLB gather that batches invalidations of one unmap, the boot parameters
 * ({@code iommu.strict}, {@code iommu.passthrough}) and the options dma-iommu reads when it sets
 * up a domain's flush queues.
 */
package org.iommulab.iommu;
