package org.iommulab.workload;

import org.iommulab.kernel.Device;

/**
 * The queue limits a block driver sets, by which the block layer splits an I/O into requests
 * ({@code max_hw_sectors} and {@code max_segments}); each request is mapped with its own
 * {@code dma_map_sg} and is one device command.
 *
 * @param maxBytes the most bytes one request carries
 * @param maxSegments the most scatter-gather segments one request carries
 */
record BlockLimits(long maxBytes, int maxSegments) {

    /** No splitting: an I/O is one request whatever its size (a NIC's packets). */
    static final BlockLimits NONE = new BlockLimits(Long.MAX_VALUE, Integer.MAX_VALUE);

    /** {@code NVME_MAX_KB_SZ}: 8 MiB per command (drivers/nvme/host/pci.c, v6.7). */
    static final long NVME_MAX_BYTES = 8192L * 1024;
    /** {@code NVME_MAX_SEGS}: 128 segments per command (v6.7). */
    static final int NVME_MAX_SEGS = 128;

    BlockLimits {
        if (maxBytes < RandomPages.PAGE_SIZE || maxSegments < 1) {
            throw new IllegalArgumentException("block limits of " + maxBytes + " bytes and " + maxSegments
                    + " segments; need at least one page and one segment");
        }
    }

    /**
     * What the nvme driver's probe sets for {@code dev}: {@code max_hw_sectors} is the smaller of
     * 8 MiB and {@code dma_opt_mapping_size}, which dma-iommu reports as the rcache range
     * (128 KiB), so larger I/Os are split under dma-iommu and not under the old s390 DMA API.
     */
    static BlockLimits nvme(Device dev) {
        return new BlockLimits(Math.min(NVME_MAX_BYTES, dev.dmaOps().optMappingSize(dev)), NVME_MAX_SEGS);
    }
}
