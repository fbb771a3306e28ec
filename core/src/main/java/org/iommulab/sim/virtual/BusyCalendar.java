package org.iommulab.sim.virtual;

import java.util.Arrays;

/**
 * When a lock was held, as disjoint intervals sorted by start, so that an acquisition is granted
 * at its own virtual time: an event runs to its end before the next starts, so a lock taken late
 * in a long event is recorded before another CPU's earlier acquisition arrives, and a single
 * "busy until" would make that CPU wait for a lock that was free at its time. Intervals that end
 * before the engine's now can no longer matter and are dropped.
 *
 * <p>One error remains: the length of a hold is known only at its release, so a hold granted in a
 * gap may run into an interval recorded earlier; the two are then merged, and they overlapped in
 * virtual time by at most that hold.
 */
final class BusyCalendar {

    /** Interval starts and ends, sorted, disjoint; live entries are {@code [0, size)}. */
    private static final int INITIAL_CAPACITY = 16;
    /** Entries a calendar keeps room for however few it holds: 16 KiB of arrays. */
    private static final int KEPT_CAPACITY = 1024;

    private long[] starts = new long[INITIAL_CAPACITY];
    private long[] ends = new long[INITIAL_CAPACITY];
    private int size;

    /** The first time at or after {@code t} that lies in no interval. */
    long firstFreeAt(long t) {
        if (size == 0 || t >= ends[size - 1]) {
            return t;
        }
        int i = indexAtOrBefore(t);
        return i >= 0 && ends[i] > t ? ends[i] : t;
    }

    /** Records {@code [start, end)} as held, merged with any interval it touches. */
    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        if (size == 0 || start > ends[size - 1]) {
            append(start, end);
            return;
        }
        int first = indexAtOrBefore(start);
        if (first < 0 || ends[first] < start) {
            first++;
        }
        int last = first;
        long s = start;
        long e = end;
        while (last < size && starts[last] <= end) {
            s = Math.min(s, starts[last]);
            e = Math.max(e, ends[last]);
            last++;
        }
        int removed = last - first;
        if (removed == 0) {
            insert(first, s, e);
        } else {
            starts[first] = s;
            ends[first] = e;
            System.arraycopy(starts, last, starts, first + 1, size - last);
            System.arraycopy(ends, last, ends, first + 1, size - last);
            size -= removed - 1;
        }
    }

    /**
     * Drops the intervals that end at or before {@code t}, and halves arrays above
     * {@value #KEPT_CAPACITY} entries while an eighth of them would hold what is left: one long
     * event (a flush-queue timer draining every CPU's queue into one rcache) can record tens of
     * thousands of holds of one lock, and at 144 CPUs calendars that kept that peak held most of a
     * run's memory. The slack keeps an ordinary calendar from being copied back and forth.
     */
    void prune(long t) {
        int drop = 0;
        while (drop < size && ends[drop] <= t) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, size - drop);
            System.arraycopy(ends, drop, ends, 0, size - drop);
            size -= drop;
            if (starts.length > KEPT_CAPACITY && size <= starts.length >>> 3) {
                starts = Arrays.copyOf(starts, starts.length >>> 1);
                ends = Arrays.copyOf(ends, ends.length >>> 1);
            }
        }
    }

    /** Intervals recorded and not yet dropped. */
    int size() {
        return size;
    }

    /** The index of the last interval starting at or before {@code t}, or -1. */
    private int indexAtOrBefore(long t) {
        int i = Arrays.binarySearch(starts, 0, size, t);
        return i >= 0 ? i : -i - 2;
    }

    private void append(long start, long end) {
        insert(size, start, end);
    }

    private void insert(int at, long start, long end) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        System.arraycopy(starts, at, starts, at + 1, size - at);
        System.arraycopy(ends, at, ends, at + 1, size - at);
        starts[at] = start;
        ends[at] = end;
        size++;
    }
}
