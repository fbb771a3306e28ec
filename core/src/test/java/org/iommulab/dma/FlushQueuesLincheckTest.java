package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Lincheck model checking of {@code queue_iova} racing {@code fq_flush_timeout}, for the single
 * queue and for per-CPU queues: in every interleaving the model checker tries, each IOVA is freed
 * only after a flush that started after its unmap has finished, and every queued entry ends up
 * freed or still queued. Queues are tiny so that full-queue flushes and wrap-around happen within a
 * few operations; the timer callback is an operation of its own, so the checker chooses when it
 * fires.
 */
class FlushQueuesLincheckTest {

    private static ModelCheckingOptions options() {
        return new ModelCheckingOptions().iterations(8).invocationsPerIteration(100).threads(2).actorsPerThread(3);
    }

    @Test
    void singleQueue() {
        options().check(SingleQueue.class);
    }

    @Test
    void perCpuQueues() {
        options().check(PerCpu.class);
    }

    @Test
    void theOracleSeesAReuseBeforeTheFlush() {
        SingleQueue m = new SingleQueue();
        m.unmapAndQueue(0);
        m.unmapAndQueue(1);
        m.invariantsHold();
        assertThatThrownBy(() -> m.oracle.freed(1)).isInstanceOf(IllegalStateException.class);
        m.timerFires(0);
        m.invariantsHold();
        assertThat(m.oracle.freedCount()).isEqualTo(2);
    }

    /** The state Lincheck drives: one domain's flush queues over the oracle. */
    public abstract static class Model {
        final FlushOracle oracle = new FlushOracle();
        private final AtomicInteger nextPfn = new AtomicInteger();
        private final UntimedEngine engine = new UntimedEngine(2);
        private final FlushQueueCounters counters = new FlushQueueCounters();
        private final FlushQueues fq;

        Model(DmaIommuOptions options) {
            fq = new FlushQueues(new DeferredFlushContext(engine, "lincheck", options,
                    cpu -> oracle.flushFinished(oracle.flushStarted()), KernelQueues.NO_RANGES,
                    (cpu, pfn, pages) -> oracle.freed(pfn),
                    counters));
        }

        /** Unmaps a fresh page and queues its IOVA on CPU {@code cpu}. */
        @Operation
        public void unmapAndQueue(@Param(gen = IntGen.class, conf = "0:1") int cpu) {
            int pfn = nextPfn.incrementAndGet();
            oracle.unmapped(pfn);
            fq.queueIova(engine.cpu(cpu), pfn, 1);
        }

        /** The flush timer fires on CPU {@code cpu}. */
        @Operation
        public void timerFires(@Param(gen = IntGen.class, conf = "0:1") int cpu) {
            fq.fqFlushTimeout(engine.cpu(cpu));
        }

        @Validate
        public void invariantsHold() {
            oracle.checkAccounting(nextPfn.get(), fq.occupancy(), counters.entriesLost());
        }
    }

    /** One queue of four slots (three entries). */
    public static final class SingleQueue extends Model {
        public SingleQueue() {
            super(new DmaIommuOptions(QueueType.SINGLE, 4, 10));
        }
    }

    /** Two per-CPU queues of two slots (one entry each). */
    public static final class PerCpu extends Model {
        public PerCpu() {
            super(new DmaIommuOptions(QueueType.PER_CPU, 2, 10));
        }
    }
}
