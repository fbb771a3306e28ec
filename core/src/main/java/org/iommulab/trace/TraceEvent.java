package org.iommulab.trace;

import java.util.List;

/**
 * One event of a capture that the checks read, with the line it came from and its time.
 */
public sealed interface TraceEvent {

    /** The line of the capture, counted from 1. */
    long line();

    /** The event's timestamp, in ns since the capture's clock started. */
    long timeNs();

    /** The CPU the event was recorded on, or -1 when the capture has no CPU column. */
    int cpu();

    /** The device, by the name the capture gives it ({@code dev_name}). */
    String device();

    /** {@code dma:dma_map_page}, {@code dma_map_phys} or {@code dma_map_resource}. */
    record DmaMap(long line, long timeNs, int cpu, String device, String dir, long dmaAddr, long size) implements TraceEvent {}

    /** {@code dma:dma_unmap_page}, {@code dma_unmap_phys} or {@code dma_unmap_resource}. */
    record DmaUnmap(long line, long timeNs, int cpu, String device, String dir, long dmaAddr, long size) implements TraceEvent {}

    /** {@code dma:dma_alloc} or {@code dma_alloc_pages}: coherent memory, mapped for its whole life. */
    record DmaAlloc(long line, long timeNs, int cpu, String device, long dmaAddr, long size) implements TraceEvent {}

    /** {@code dma:dma_free} or {@code dma_free_pages}. */
    record DmaFree(long line, long timeNs, int cpu, String device, long dmaAddr, long size) implements TraceEvent {}

    /** {@code dma:dma_sync_single_for_cpu} or {@code _for_device}. */
    record DmaSync(long line, long timeNs, int cpu, String device, long dmaAddr, long size) implements TraceEvent {}

    /**
     * {@code dma:dma_map_sg}: the DMA segments the mapping made ({@code dma_addrs}, {@code sizes})
     * and the physical segments it mapped ({@code phys_addrs}), whose lengths the event omits.
     */
    record DmaMapSg(long line, long timeNs, int cpu, String device, String dir, List<Long> dmaAddrs, List<Long> sizes,
            List<Long> physAddrs) implements TraceEvent {
        public DmaMapSg {
            dmaAddrs = List.copyOf(dmaAddrs);
            sizes = List.copyOf(sizes);
            physAddrs = List.copyOf(physAddrs);
        }

        /** The bytes the mapping covers. */
        public long bytes() {
            return sizes.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** {@code dma:dma_unmap_sg}: it names only the physical segments, so it matches its map by them. */
    record DmaUnmapSg(long line, long timeNs, int cpu, String device, String dir, List<Long> physAddrs)
            implements TraceEvent {
        public DmaUnmapSg {
            physAddrs = List.copyOf(physAddrs);
        }
    }

    /** {@code dma:dma_sync_sg_for_cpu} or {@code _for_device}: the DMA segments synced. */
    record DmaSyncSg(long line, long timeNs, int cpu, String device, List<Long> dmaAddrs, List<Long> sizes)
            implements TraceEvent {
        public DmaSyncSg {
            dmaAddrs = List.copyOf(dmaAddrs);
            sizes = List.copyOf(sizes);
        }
    }

    /**
     * {@code dma:dma_map_sg_err}: a {@code dma_map_sg} that failed with {@code err} (a negative
     * errno); nothing was mapped.
     */
    record DmaMapSgError(long line, long timeNs, int cpu, String device, int err) implements TraceEvent {}

    /** {@code swiotlb:swiotlb_bounced}: the device's buffer went through a bounce buffer. */
    record SwiotlbBounce(long line, long timeNs, int cpu, String device, long dmaAddr, long size) implements TraceEvent {}

    /**
     * {@code iommu:add_device_to_group}, {@code remove_device_from_group} (with the group),
     * {@code attach_device_to_domain} and {@code detach_device_from_domain} (group -1): a device
     * the IOMMU layer names, which its {@code iommu:map} events do not.
     */
    record IommuDevice(long line, long timeNs, int cpu, String device, String event, int group) implements TraceEvent {}

    /**
     * {@code iommu:map}, in the form of v5.17 on ({@code iova=START - END}) or before: the IOMMU API
     * level, which names no device; {@link #device} is {@link #IOMMU_STREAM}.
     */
    record IommuMap(long line, long timeNs, int cpu, String device, long iova, long size) implements TraceEvent {}

    /** {@code iommu:unmap}: one range, which may cover several maps (dma-iommu unmaps a whole buffer at once). */
    record IommuUnmap(long line, long timeNs, int cpu, String device, long iova, long size) implements TraceEvent {}

    /** The device name of {@code iommu:map} and {@code unmap} events, which carry none. */
    String IOMMU_STREAM = "iommu";

    /**
     * {@code iommu:io_page_fault}: the device's access to {@code iova} found no translation;
     * {@code write} is the flags' {@code IOMMU_FAULT_WRITE} bit.
     */
    record IoPageFault(long line, long timeNs, int cpu, String device, long iova, boolean write) implements TraceEvent {}
}
