/**
 * The few kernel types every layer shares: {@code struct device} with its DMA mask and ops,
 * {@code struct dma_map_ops}, scatterlists, DMA directions and errnos (include/linux/device.h,
 * dma-map-ops.h, scatterlist.h, dma-direction.h as of v6.7), reduced to what the DMA layers read.
 */
package org.iommulab.kernel;
