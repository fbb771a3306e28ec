package org.iommulab.dma;

import java.util.concurrent.atomic.AtomicInteger;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.sim.threads.UntimedEngine;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking of the deadline queue: unmaps on two CPUs race the deadline timer and
 * each other's full-ring flushes. The oracle knows, for every page, when it was unmapped, when
 * each global flush started and finished and when a ranged flush covered it, and refuses a free
 * that no finished global flush started after the unmap and no later ranged flush covered. Rings
 * hold one entry, so full-ring flushes and the ranged collection interleave with queueing within
 * a few operations; the ranged variant merges only touching ranges, so pages stay distinct.
 */
class DeadlineQueuesLincheckTest {

    private static ModelCheckingOptions options() {
        return new ModelCheckingOptions().iterations(8).invocationsPerIteration(100).threads(2).actorsPerThread(3);
    }

    @Test
    void globalFlushes() {
        options().check(Global.class);
    }

    @Test
    void rangedFlushes() {
        options().check(Ranged.class);
    }

    /** The state Lincheck drives. */
    public abstract static class Model {
        final FlushOracle oracle = new FlushOracle();
        private final AtomicInteger nextPfn = new AtomicInteger();
        private final UntimedEngine engine = new UntimedEngine(2);
        private final FlushQueueCounters counters = new FlushQueueCounters();
        private final DeadlineQueues queues;

        Model(RangeFlushCost cost) {
            queues = new DeadlineQueues(new DeferredFlushContext(engine, "lincheck",
                    new DmaIommuOptions(QueueType.PER_CPU, 2, 1),
                    cpu -> oracle.flushFinished(oracle.flushStarted()),
                    (cpu, pfn, pages) -> oracle.rangeFlushed(pfn, pages),
                    (cpu, pfn, pages) -> oracle.freed(pfn), counters), 1_000_000, 100, cost);
        }

        /** Unmaps a fresh page (every other pfn, so that ranges never touch) and queues it on CPU {@code cpu}. */
        @Operation
        public void unmapAndQueue(@Param(gen = IntGen.class, conf = "0:1") int cpu) {
            int pfn = 2 * nextPfn.incrementAndGet();
            oracle.unmapped(pfn);
            queues.queueIova(engine.cpu(cpu), pfn, 1);
        }

        /** The deadline timer fires on CPU {@code cpu}. */
        @Operation
        public void deadline(@Param(gen = IntGen.class, conf = "0:1") int cpu) {
            queues.deadline(engine.cpu(cpu));
        }

        @Validate
        public void invariantsHold() {
            oracle.checkAccounting(nextPfn.get(), queues.occupancy(), counters.entriesLost());
        }
    }

    /** Global flushes only. */
    public static final class Global extends Model {
        public Global() {
            super(null);
        }
    }

    /** Ranged flushes; a gap costs more than a range, so every page is its own range. */
    public static final class Ranged extends Model {
        public Ranged() {
            super(new RangeFlushCost(0, 1));
        }
    }
}
