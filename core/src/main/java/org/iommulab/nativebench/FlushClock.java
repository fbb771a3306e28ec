package org.iommulab.nativebench;

import org.iommulab.dma.IommuDmaOps;
import org.iommulab.iommu.DomainType;
import org.iommulab.kernel.DmaOps;
import org.iommulab.s390.legacy.LegacyS390Dma;

/**
 * When an unmap has become invisible to the device, as a checker can tell from outside the DMA
 * layer: {@link #snapshot} is read right after the unmap returned, and {@link #covers} says
 * whether a flush that covers it has since completed. Only ever late, never early: a checker that
 * trusts it can report no false violation.
 */
public interface FlushClock {

    /** Strict invalidation: the unmap's own flush completed before it returned. */
    FlushClock IMMEDIATE = new FlushClock() {
        @Override
        public long snapshot() {
            return 0;
        }

        @Override
        public boolean covers(long snapshot) {
            return true;
        }
    };

    /** Read right after an unmap returned. */
    long snapshot();

    /** Whether a flush covering an unmap whose {@link #snapshot} was {@code snapshot} has completed. */
    boolean covers(long snapshot);

    /**
     * The clock of {@code ops}: dma-iommu's strict domains flush in the unmap, its flush queues by
     * {@code fq_flush_start_cnt} / {@code fq_flush_finish_cnt} (a flush that began after the
     * unmap has finished once the finish count exceeds the start count read after it); the old
     * s390 scheme flushes in strict mode in the unmap, in lazy mode at the allocator's wrap, which
     * runs under the allocator's lock and counts itself before its global RPCIT, so the wrap after
     * the next one started has proved the next one finished.
     *
     * @throws IllegalArgumentException for DMA ops the checker does not know
     */
    static FlushClock of(DmaOps ops) {
        if (ops instanceof IommuDmaOps d) {
            if (d.type() == DomainType.DMA) {
                return IMMEDIATE;
            }
            return new FlushClock() {
                @Override
                public long snapshot() {
                    return d.fqFlushStartCnt();
                }

                @Override
                public boolean covers(long snapshot) {
                    return d.fqFlushFinishCnt() > snapshot;
                }
            };
        }
        if (ops instanceof LegacyS390Dma l) {
            if (l.strict()) {
                return IMMEDIATE;
            }
            return new FlushClock() {
                @Override
                public long snapshot() {
                    return l.wraps();
                }

                @Override
                public boolean covers(long snapshot) {
                    return l.wraps() >= snapshot + 2;
                }
            };
        }
        throw new IllegalArgumentException("no flush clock for DMA ops " + ops.getClass().getSimpleName());
    }
}
