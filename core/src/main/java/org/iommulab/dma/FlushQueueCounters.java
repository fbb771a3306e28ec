package org.iommulab.dma;

import java.util.concurrent.atomic.LongAdder;

/**
 * Why the queues of one domain flushed, and what they lost. LongAdders: rare events, bumped by
 * any CPU without contending on one cache line.
 */
public final class FlushQueueCounters {

    private final LongAdder queueFullFlushes = new LongAdder();
    private final LongAdder timerFlushes = new LongAdder();
    private final LongAdder overflows = new LongAdder();
    private final LongAdder entriesLost = new LongAdder();

    /** A queue was full and flushed synchronously on the unmapping CPU. */
    public void queueFullFlush() {
        queueFullFlushes.increment();
    }

    /** A timer (or deadline) flushed the queues. */
    public void timerFlush() {
        timerFlushes.increment();
    }

    /** A queue still full after its flush wrapped, dropping {@code entries} ranges whose IOVAs are never freed. */
    public void overflow(long entries) {
        overflows.increment();
        entriesLost.add(entries);
    }

    long queueFullFlushes() {
        return queueFullFlushes.sum();
    }

    long timerFlushes() {
        return timerFlushes.sum();
    }

    long overflows() {
        return overflows.sum();
    }

    long entriesLost() {
        return entriesLost.sum();
    }
}
