package org.iommulab.dma;

/**
 * For the Lincheck models of the flush queues: knows when each pfn was unmapped, when each global
 * flush started and finished and when a ranged flush covered a page, and refuses any free that no
 * finished global flush started after the unmap and no later ranged flush covered.
 */
final class FlushOracle {
    private final long[] unmappedAt = new long[128];
    private final long[] coveredAt = new long[128];
    private long seq;
    /** The latest start among finished global flushes: it covers every unmap numbered below it. */
    private long latestFinishedStart;
    private int freed;

    synchronized void unmapped(int pfn) {
        unmappedAt[pfn] = ++seq;
    }

    synchronized long flushStarted() {
        return ++seq;
    }

    synchronized void flushFinished(long start) {
        latestFinishedStart = Math.max(latestFinishedStart, start);
    }

    synchronized void rangeFlushed(long pfn, long pages) {
        long now = ++seq;
        for (long p = pfn; p < pfn + pages; p++) {
            coveredAt[(int) p] = now;
        }
    }

    synchronized void freed(long pfn) {
        long unmap = unmappedAt[(int) pfn];
        if (latestFinishedStart < unmap && coveredAt[(int) pfn] < unmap) {
            throw new IllegalStateException("pfn " + pfn + " freed before a flush covering its unmap finished");
        }
        freed++;
    }

    /** Every queued entry ended freed, still queued or lost to an overflow. */
    synchronized void checkAccounting(int queued, int occupancy, long lost) {
        if (queued != freed + occupancy + lost) {
            throw new IllegalStateException(queued + " queued but " + freed + " freed, " + occupancy
                    + " still queued and " + lost + " lost");
        }
    }

    synchronized int freedCount() {
        return freed;
    }
}
