package org.iommulab.dma;

import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;

/**
 * What dma-iommu gives the queues of one domain: the environment for locks and timers, the
 * domain's flush-queue options, its {@code flush_iotlb_all}, the allocator's
 * {@code free_iova_fast}, and the counters the queues report into.
 *
 * @param engine CPUs, locks and timers
 * @param name the device's name, for lock and timer names
 * @param options size and timeout chosen for the domain
 * @param flusher {@code iommu_flush_iotlb_all} of the domain
 * @param rangeFlusher {@code iommu_iotlb_sync} of the domain over one range
 * @param freer {@code free_iova_fast} of the domain's allocator
 * @param counters flush counts shown in reports
 */
public record DeferredFlushContext(Engine engine, String name, DmaIommuOptions options, Flusher flusher,
        RangeFlusher rangeFlusher, IovaFreer freer, FlushQueueCounters counters) {

    /** {@code flush_iotlb_all} of the domain the queues belong to. */
    @FunctionalInterface
    public interface Flusher {
        void flushIotlbAll(Cpu cpu);
    }

    /** {@code iommu_iotlb_sync} with a gather of one IOVA range, in allocator pfns. */
    @FunctionalInterface
    public interface RangeFlusher {
        void flushRange(Cpu cpu, long pfn, long pages);
    }

    /** Frees an IOVA range back to the allocator ({@code free_iova_fast}). */
    @FunctionalInterface
    public interface IovaFreer {
        void freeIovaFast(Cpu cpu, long pfn, long pages);
    }
}
