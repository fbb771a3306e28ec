package org.iommulab.nativebench;

import org.iommulab.dma.DmaIommuSnapshot;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.kernel.DmaOps;
import org.iommulab.lab.Machine;
import org.iommulab.stats.RpcitCounts;

/**
 * The invalidations a native run caused: dma-iommu's flush-queue flushes (queue full, timer) and
 * strict syncs with the queues' peak occupancy, and on s390 the RPCIT counters, which are also
 * what the old s390 DMA API flushes with (a global RPCIT per allocator wrap, a sync RPCIT per
 * unmap in strict mode).
 */
public record FlushCounts(long queueFull, long timer, long strictSyncs, long peakQueueOccupancy, RpcitCounts rpcit) {

    /** What {@code ops} and {@code machine} counted so far. */
    public static FlushCounts of(DmaOps ops, Machine machine) {
        RpcitCounts rpcit = machine.rpcit();
        if (ops instanceof IommuDmaOps d) {
            DmaIommuSnapshot c = d.counters();
            return new FlushCounts(c.queueFullFlushes(), c.timerFlushes(), c.strictSyncs(), c.peakOccupancy(), rpcit);
        }
        return new FlushCounts(0, 0, 0, 0, rpcit);
    }
}
