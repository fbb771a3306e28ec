package org.iommulab.trace;

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

    /** {@code dma:dma_map_page}, {@code dma_map_phys} or {@code dma_map_resource}. */
    record DmaMap(long line, long timeNs, int cpu, String device, String dir, long dmaAddr, long size) implements TraceEvent {}

    /** {@code dma:dma_unmap_page}, {@code dma_unmap_phys} or {@code dma_unmap_resource}. */
    record DmaUnmap(long line, long timeNs, int cpu, String device, String dir, long dmaAddr, long size) implements TraceEvent {}

    /** {@code iommu:io_page_fault}: the device's access to {@code iova} found no translation. */
    record IoPageFault(long line, long timeNs, int cpu, String device, long iova) implements TraceEvent {}
}
