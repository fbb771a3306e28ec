package org.iommulab.dma;

import java.util.Map;
import org.iommulab.kernel.MapFailure;

/**
 * What one dma-iommu domain did, for reports and tests.
 *
 * @param maps successful {@code map_page} calls
 * @param mapErrorsByCause {@code map_page} and {@code map_sg} calls that returned an error, by the
 *     step that failed
 * @param unmaps {@code unmap_page} calls
 * @param mapSgs successful {@code map_sg} calls
 * @param unmapSgs {@code unmap_sg} calls
 * @param unmapMismatches unmaps the kernel warns about: an {@code unmap_page} whose handle
 *     translates to nothing ({@code WARN_ON(!phys)}, nothing is unmapped), or an unmap that cleared
 *     less than its whole range ({@code WARN_ON(unmapped != size)}): a driver unmapping what it
 *     never mapped, or twice
 * @param bytesMapped IOVA bytes mapped, granule-aligned
 * @param strictSyncs unmaps synced at once ({@code iommu_iotlb_sync}): every unmap of a strict domain
 * @param entriesQueued IOVA ranges put in a flush queue
 * @param entriesFreed queued ranges freed after their flush
 * @param queueFullFlushes synchronous flushes because a queue was full
 * @param timerFlushes flushes by the flush-queue timer
 * @param fqOverflows times a queue was still full after its synchronous flush, because a flush
 *     started earlier on another CPU had not finished, and the kernel's add wrapped the ring
 * @param entriesLost queued ranges those overflows dropped: IOVAs never freed
 * @param peakOccupancy the most entries any one queue held
 * @param occupancy entries queued now, over all queues
 */
public record DmaIommuSnapshot(
        long maps,
        Map<MapFailure, Long> mapErrorsByCause,
        long unmaps,
        long mapSgs,
        long unmapSgs,
        long unmapMismatches,
        long bytesMapped,
        long strictSyncs,
        long entriesQueued,
        long entriesFreed,
        long queueFullFlushes,
        long timerFlushes,
        long fqOverflows,
        long entriesLost,
        long peakOccupancy,
        long occupancy) {

    public DmaIommuSnapshot {
        mapErrorsByCause = Map.copyOf(mapErrorsByCause);
    }

    /** Every {@code map_page} and {@code map_sg} call that returned an error. */
    public long mapErrors() {
        return mapErrorsByCause.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Domain-wide flushes the flush queues asked for. */
    public long fqFlushes() {
        return queueFullFlushes + timerFlushes;
    }
}
