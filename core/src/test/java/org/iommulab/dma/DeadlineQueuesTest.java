package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** The deadline queue's flush decisions on a clock the test moves; flushes take time by moving it. */
class DeadlineQueuesTest {

    private static final long W = 1_000_000;
    private static final long FLUSH_NS = 10_000;
    private static final long BUDGET = 100;

    private final ManualEngine engine = new ManualEngine(2);
    private final Cpu cpu0 = engine.cpu(0);
    private final Cpu cpu1 = engine.cpu(1);
    private final List<Long> freed = new ArrayList<>();
    private final List<String> flushes = new ArrayList<>();
    private final FlushQueueCounters counters = new FlushQueueCounters();
    private Runnable duringRangeFlush = () -> { };

    private DeadlineQueues queues(int ringSize, RangeFlushCost cost, long globalNs) {
        DeferredFlushContext context = new DeferredFlushContext(engine, "t",
                new DmaIommuOptions(QueueType.PER_CPU, ringSize, 1), cpu -> {
                    flushes.add("all");
                    engine.advanceBy(globalNs);
                }, (cpu, pfn, pages) -> {
                    flushes.add(pfn + "+" + pages);
                    engine.advanceBy(FLUSH_NS);
                    duringRangeFlush.run();
                }, (cpu, pfn, pages) -> freed.add(pfn), counters);
        return new DeadlineQueues(context, W, BUDGET, cost);
    }

    /** The first entry is flushed at once, to measure what a flush costs. */
    private void measure(DeadlineQueues q) {
        q.queueIova(cpu0, 1, 1);
        engine.advanceBy(0);
        assertThat(freed).containsExactly(1L);
        freed.clear();
        flushes.clear();
    }

    @Test
    void freeStopsTheDeadlineTimerAndTheCountsSayWhatWasFlushed() {
        DeadlineQueues q = queues(16, null, FLUSH_NS);
        measure(q);
        assertThat(q.flushStartCount()).isEqualTo(1);
        assertThat(q.flushFinishCount()).isEqualTo(1);
        q.queueIova(cpu0, 7, 1);
        q.queueIova(cpu0, 8, 1);
        assertThat(q.peakOccupancy()).isEqualTo(2);
        q.free();
        engine.advanceBy(2 * W);
        assertThat(flushes).as("no flush after the domain's queues were freed").isEmpty();
        assertThat(q.flushFinishCount()).isEqualTo(1);
    }

    @Test
    void aLoneEntryWaitsForItsDeadline() {
        DeadlineQueues q = queues(16, null, FLUSH_NS);
        measure(q);
        q.queueIova(cpu1, 7, 1);
        engine.advanceBy(W - 1);
        assertThat(freed).isEmpty();
        engine.advanceBy(1);
        assertThat(freed).containsExactly(7L);
        assertThat(flushes).containsExactly("all");
        assertThat(counters.timerFlushes()).isEqualTo(2);
    }

    @Test
    void enoughEntriesToCarryTheFlushPullTheDeadlineIn() {
        DeadlineQueues q = queues(64, null, FLUSH_NS);
        measure(q);
        // 49 entries on one of 2 CPUs carry 49 * 2 * 100 ns < 10 us each; the 50th reaches it
        for (long pfn = 100; pfn < 149; pfn++) {
            q.queueIova(cpu0, pfn, 1);
        }
        engine.advanceBy(0);
        assertThat(freed).isEmpty();
        q.queueIova(cpu0, 149, 1);
        engine.advanceBy(0);
        assertThat(freed).hasSize(50);
        assertThat(engine.nowNs()).isLessThan(W);
    }

    @Test
    void aRangedFlushMergesTheGapsCheaperThanAnotherInvalidation() {
        DeadlineQueues q = queues(16, new RangeFlushCost(1000, 100), FLUSH_NS);
        measure(q);
        q.queueIova(cpu0, 14, 1);
        q.queueIova(cpu1, 10, 2);
        q.queueIova(cpu1, 100, 1);
        engine.advanceBy(W);
        // 12..13 is 2 pages (200 ns) < 1000 ns: merged; 15..99 is 85 pages: a range of its own
        assertThat(flushes).containsExactly("10+5", "100+1");
        assertThat(freed).containsExactlyInAnyOrder(14L, 10L, 100L);
    }

    @Test
    void theWholeDomainIsFlushedWhenThatMeasuredCheaperThanTheRanges() {
        DeadlineQueues q = queues(2, new RangeFlushCost(1000, 100), 500);
        measure(q);
        q.queueIova(cpu0, 10, 1);
        q.queueIova(cpu0, 20, 1); // the one-entry ring is full: a synchronous global flush, measured at 500 ns
        assertThat(flushes).containsExactly("all");
        q.queueIova(cpu1, 40, 1);
        engine.advanceBy(W);
        // 20 and 40 would take two ranges (2 x 1100 ns): the global flush is cheaper
        assertThat(flushes).containsExactly("all", "all");
        assertThat(freed).containsExactlyInAnyOrder(10L, 20L, 40L);
    }

    @Test
    void anEntryQueuedDuringARangedFlushWaitsForTheNextOne() {
        DeadlineQueues q = queues(16, new RangeFlushCost(1000, 100), FLUSH_NS);
        duringRangeFlush = () -> {
            duringRangeFlush = () -> { };
            q.queueIova(cpu1, 50, 1);
        };
        q.queueIova(cpu0, 5, 1);
        engine.advanceBy(0);
        assertThat(flushes).containsExactly("5+1");
        assertThat(freed).containsExactly(5L);
        engine.advanceBy(W);
        assertThat(flushes).containsExactly("5+1", "50+1");
        assertThat(freed).containsExactly(5L, 50L);
    }
}
