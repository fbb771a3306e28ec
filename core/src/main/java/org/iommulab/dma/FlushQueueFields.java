package org.iommulab.dma;

import org.iommulab.sim.CachelineAligned;
import org.iommulab.sim.SpinLock;

/** The fields of a {@link FlushQueue}, which its CPU writes on every unmap, alone on their cache lines. */
abstract class FlushQueueFields extends CachelineAligned {

    final SpinLock lock;
    final int modMask;
    final long[] iovaPfn;
    final long[] pages;
    final long[] counter;
    int head;
    int tail;
    /** The most entries this queue has held; written under the lock, read by any thread. */
    volatile int peakOccupancy;
    /**
     * Entries ever added and ever freed: plain fields written under the lock, where a shared
     * counter would cost every unmap an atomic update. Read by any thread; exact once the queue
     * is quiet.
     */
    long queued;
    long freed;

    FlushQueueFields(SpinLock lock, int size) {
        this.lock = lock;
        this.modMask = size - 1;
        this.iovaPfn = new long[size];
        this.pages = new long[size];
        this.counter = new long[size];
    }
}
