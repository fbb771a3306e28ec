package org.iommulab.iommu;

import org.iommulab.kernel.Device;

/**
 * The DMA layer as the IOMMU core calls it when a device's default domain is set up
 * ({@code iommu_setup_dma_ops} of include/linux/dma-iommu.h, v6.7). Implemented by the dma
 * package, so the core does not depend on the layer above it.
 */
public interface IommuDmaHooks {

    /**
     * Gives {@code dev} (probed by {@code driver}) the DMA ops for {@code domain}: dma-iommu with a fresh cookie for DMA and
     * DMA-FQ domains (which may fall back to DMA), direct mapping otherwise. Cannot fail in the
     * model: the kernel's failures are allocation failures.
     *
     */
    void setupDmaOps(IommuDriver driver, Device dev, IommuDomain domain);
}
