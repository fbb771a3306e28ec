package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class FlushQueuesTest {

    private final ManualEngine engine = new ManualEngine(2);
    private final Cpu cpu0 = engine.cpu(0);
    private final Cpu cpu1 = engine.cpu(1);
    private final List<Long> freed = new ArrayList<>();
    private final FlushQueueCounters counters = new FlushQueueCounters();

    @Test
    void anEntryQueuedDuringAFlushWaitsForTheNextOne() {
        FlushQueues[] fq = new FlushQueues[1];
        int[] flushes = new int[1];
        fq[0] = new FlushQueues(new DeferredFlushContext(engine, "t", new DmaIommuOptions(QueueType.SINGLE, 8, 1), cpu -> {
            if (flushes[0]++ == 0) {
                fq[0].queueIova(cpu1, 7, 1); // queued while the first flush runs
            }
        }, KernelQueues.NO_RANGES, (cpu, pfn, pages) -> freed.add(pfn), counters));
        fq[0].queueIova(cpu0, 5, 1);
        engine.advanceBy(1_000_000);
        assertThat(freed).containsExactly(5L);
        engine.advanceBy(1_000_000);
        assertThat(freed).containsExactly(5L, 7L);
        assertThat(counters.timerFlushes()).isEqualTo(2);
    }

    /**
     * CPU 1 fills its one-entry queue while CPU 0's timer flush is running; its synchronous flush
     * finishes first, so the finish count does not pass its entry and the kernel's add wraps the
     * ring: both entries are lost, none is freed early.
     */
    @Test
    void aFlushStillRunningElsewhereLeavesTheQueueFullAndTheAddLosesTheRing() {
        FlushQueues[] fq = new FlushQueues[1];
        int[] flushes = new int[1];
        fq[0] = new FlushQueues(new DeferredFlushContext(engine, "t", new DmaIommuOptions(QueueType.PER_CPU, 2, 1), cpu -> {
            if (flushes[0]++ == 0) {
                fq[0].queueIova(cpu1, 1, 1);
                fq[0].queueIova(cpu1, 2, 1);
            }
        }, KernelQueues.NO_RANGES, (cpu, pfn, pages) -> freed.add(pfn), counters));
        fq[0].fqFlushTimeout(cpu0);

        assertThat(counters.queueFullFlushes()).isEqualTo(1);
        assertThat(counters.overflows()).isEqualTo(1);
        assertThat(counters.entriesLost()).isEqualTo(2);
        assertThat(freed).isEmpty();
        assertThat(fq[0].occupancy()).isZero();
    }
}
