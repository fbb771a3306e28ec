package org.iommulab.sim;

import java.util.Arrays;

/**
 * The pending events of one {@link VirtualCpu}: a binary min-heap on (time, sequence number) kept
 * in primitive arrays, so queueing and running an event allocates nothing once the arrays have
 * grown to the run's peak. Each event's action lives in a slot; the heap holds the keys and the
 * slot, and every slot knows its heap position so a timer can take its event out in O(log n).
 * The engine hands out unique, increasing sequence numbers, which makes the order of events with
 * equal times, and so the whole run, deterministic.
 */
final class VirtualEventQueue {

    private static final int INITIAL_CAPACITY = 16;

    private long[] heapTime = new long[INITIAL_CAPACITY];
    private long[] heapSeq = new long[INITIAL_CAPACITY];
    private int[] heapSlot = new int[INITIAL_CAPACITY];
    private int size;

    private Object[] slotAction = new Object[INITIAL_CAPACITY];
    private int[] slotPos = new int[INITIAL_CAPACITY];
    private int[] freeSlots = new int[INITIAL_CAPACITY];
    private int freeCount;
    private int slotsUsed;

    /** Queues {@code action} at {@code timeNs} with sequence number {@code seq}; returns its slot. */
    int add(long timeNs, long seq, Object action) {
        int slot = allocSlot();
        slotAction[slot] = action;
        if (size == heapTime.length) {
            int n = size * 2;
            heapTime = Arrays.copyOf(heapTime, n);
            heapSeq = Arrays.copyOf(heapSeq, n);
            heapSlot = Arrays.copyOf(heapSlot, n);
        }
        siftUp(size++, timeNs, seq, slot);
        return slot;
    }

    /** True when no event is queued. */
    boolean isEmpty() {
        return size == 0;
    }

    /** The time of the earliest event; only when not empty. */
    long firstTime() {
        return heapTime[0];
    }

    /** The slot of the earliest event; only when not empty. */
    int firstSlot() {
        return heapSlot[0];
    }

    /** The sequence number of the earliest event; only when not empty. */
    long firstSeq() {
        return heapSeq[0];
    }

    Object action(int slot) {
        return slotAction[slot];
    }

    /** Removes the event in {@code slot}, wherever it is in the heap, and frees the slot. */
    void remove(int slot) {
        int pos = slotPos[slot];
        int last = --size;
        freeSlot(slot);
        if (pos == last) {
            return;
        }
        long t = heapTime[last];
        long s = heapSeq[last];
        int sl = heapSlot[last];
        if (pos > 0 && less(t, s, heapTime[(pos - 1) >>> 1], heapSeq[(pos - 1) >>> 1])) {
            siftUp(pos, t, s, sl);
        } else {
            siftDown(pos, t, s, sl);
        }
    }

    private int allocSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (slotsUsed == slotAction.length) {
            int n = slotsUsed * 2;
            slotAction = Arrays.copyOf(slotAction, n);
            slotPos = Arrays.copyOf(slotPos, n);
            freeSlots = Arrays.copyOf(freeSlots, n);
        }
        return slotsUsed++;
    }

    private void freeSlot(int slot) {
        slotAction[slot] = null;
        slotPos[slot] = -1;
        freeSlots[freeCount++] = slot;
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void siftUp(int pos, long t, long s, int slot) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!less(t, s, heapTime[parent], heapSeq[parent])) {
                break;
            }
            place(pos, heapTime[parent], heapSeq[parent], heapSlot[parent]);
            pos = parent;
        }
        place(pos, t, s, slot);
    }

    private void siftDown(int pos, long t, long s, int slot) {
        int half = size >>> 1;
        while (pos < half) {
            int child = 2 * pos + 1;
            int right = child + 1;
            if (right < size && less(heapTime[right], heapSeq[right], heapTime[child], heapSeq[child])) {
                child = right;
            }
            if (!less(heapTime[child], heapSeq[child], t, s)) {
                break;
            }
            place(pos, heapTime[child], heapSeq[child], heapSlot[child]);
            pos = child;
        }
        place(pos, t, s, slot);
    }

    private void place(int pos, long t, long s, int slot) {
        heapTime[pos] = t;
        heapSeq[pos] = s;
        heapSlot[pos] = slot;
        slotPos[slot] = pos;
    }
}
