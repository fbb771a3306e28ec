package org.iommulab.kernel;

import org.iommulab.sim.Cpu;

/**
 * {@code struct dma_map_ops} (include/linux/dma-map-ops.h): what a device's DMA goes through. Both
 * dma-iommu and the old s390 DMA API implement it, so every workload runs on either. Errors are
 * results, never exceptions: {@link #DMA_MAPPING_ERROR} from a map, a negative errno from map_sg.
 */
public interface DmaOps {

    /** {@code DMA_MAPPING_ERROR}: {@code (dma_addr_t)~0}. */
    long DMA_MAPPING_ERROR = -1L;

    /** Maps {@code size} bytes at physical address {@code phys}; the bus address or the error. */
    long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs);

    void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir, long attrs);

    /**
     * Maps every segment of {@code sg}, filling its DMA addresses and lengths.
     *
     * @return the number of DMA segments, or a negative errno
     */
    int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs);

    void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs);

    /**
     * {@code dma_opt_mapping_size}: the largest mapping that stays on the fast path, which drivers
     * size their requests by (nvme caps {@code max_hw_sectors} with it). Unlimited unless the ops
     * say otherwise.
     */
    default long optMappingSize(Device dev) {
        return Long.MAX_VALUE;
    }
}
