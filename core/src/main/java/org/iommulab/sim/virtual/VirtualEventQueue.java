package org.iommulab.sim.virtual;

import java.util.Arrays;

/**
 * The pending events of one {@link VirtualCpu}, ordered by (time, sequence number), kept in
 * primitive arrays, so queueing and running an event allocates nothing once the arrays have grown
 * to the run's peak. Each event's action lives in a slot, and every slot knows where its event is,
 * so a timer can take its event out again. The engine hands out unique, increasing sequence
 * numbers, which makes the order of events with equal times, and so the whole run, deterministic.
 *
 * <p>Two lanes hold the events. Many events arrive in time order (device completions, each a
 * device latency after its submission): an event no earlier than the last one appended joins a
 * FIFO ring, which is then sorted by construction and costs O(1) to add and take. Timers (one far
 * ahead would hold the ring back until it expired) and any other event go into a binary min-heap.
 * The first event is the earlier of the two lanes' heads. An event taken out of the middle of the
 * ring leaves a hole that is skipped when it reaches the head. The first event's key and slot are
 * kept in fields, set when an add or a removal changes them, since the engine reads them after
 * every event.
 */
final class VirtualEventQueue {

    private static final int INITIAL_CAPACITY = 16;
    /** {@code slotPos} of a slot whose event is in the ring at index i: {@code RING - i}. */
    private static final int RING = -2;

    private long[] heapTime = new long[INITIAL_CAPACITY];
    private long[] heapSeq = new long[INITIAL_CAPACITY];
    private int[] heapSlot = new int[INITIAL_CAPACITY];
    private int size;

    /** The FIFO lane: indices {@code [ringHead, ringHead + ringUsed)} modulo the capacity; slot -1 is a hole. */
    private long[] ringTime = new long[INITIAL_CAPACITY];
    private long[] ringSeq = new long[INITIAL_CAPACITY];
    private int[] ringSlot = new int[INITIAL_CAPACITY];
    private int ringHead;
    private int ringUsed;
    private int ringLive;
    private long ringLastTime = Long.MIN_VALUE;

    private Object[] slotAction = new Object[INITIAL_CAPACITY];
    private int[] slotPos = new int[INITIAL_CAPACITY];
    private int[] freeSlots = new int[INITIAL_CAPACITY];
    private int freeCount;
    private int slotsUsed;

    /** The first event's time, sequence number and slot; {@code headSlot} is -1 when empty. */
    private long headTime;
    private long headSeq;
    private int headSlot = -1;

    /** Queues {@code action} at {@code timeNs} with sequence number {@code seq}; returns its slot. */
    int add(long timeNs, long seq, Object action) {
        int slot = allocSlot();
        slotAction[slot] = action;
        if (headSlot < 0 || less(timeNs, seq, headTime, headSeq)) {
            headTime = timeNs;
            headSeq = seq;
            headSlot = slot;
        }
        if (timeNs >= ringLastTime && !(action instanceof VirtualTimer)) {
            append(timeNs, seq, slot);
            return slot;
        }
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
        return headSlot < 0;
    }

    /** The time of the earliest event; only when not empty. */
    long firstTime() {
        return headTime;
    }

    /** The slot of the earliest event; only when not empty. */
    int firstSlot() {
        return headSlot;
    }

    /** The sequence number of the earliest event; only when not empty. */
    long firstSeq() {
        return headSeq;
    }

    Object action(int slot) {
        return slotAction[slot];
    }

    /** Removes the event in {@code slot}, wherever it is, and frees the slot. */
    void remove(int slot) {
        int pos = slotPos[slot];
        freeSlot(slot);
        if (pos <= RING) {
            removeFromRing(RING - pos);
        } else {
            removeFromHeap(pos);
        }
        if (slot == headSlot) {
            findHead();
        }
    }

    private void removeFromHeap(int pos) {
        int last = --size;
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

    /** Sets the head fields to the earlier of the ring's head (always live) and the heap's root. */
    private void findHead() {
        boolean ring = ringLive > 0
                && (size == 0 || less(ringTime[ringHead], ringSeq[ringHead], heapTime[0], heapSeq[0]));
        if (ring) {
            headTime = ringTime[ringHead];
            headSeq = ringSeq[ringHead];
            headSlot = ringSlot[ringHead];
        } else if (size > 0) {
            headTime = heapTime[0];
            headSeq = heapSeq[0];
            headSlot = heapSlot[0];
        } else {
            headSlot = -1;
        }
    }

    private void append(long timeNs, long seq, int slot) {
        if (ringUsed == ringSlot.length) {
            growRing();
        }
        int i = (ringHead + ringUsed++) & (ringSlot.length - 1);
        ringTime[i] = timeNs;
        ringSeq[i] = seq;
        ringSlot[i] = slot;
        slotPos[slot] = RING - i;
        ringLive++;
        ringLastTime = timeNs;
    }

    private void removeFromRing(int i) {
        ringSlot[i] = -1;
        ringLive--;
        if (i != ringHead) {
            return;
        }
        int mask = ringSlot.length - 1;
        do {
            ringHead = (ringHead + 1) & mask;
            ringUsed--;
        } while (ringUsed > 0 && ringSlot[ringHead] < 0);
        if (ringUsed == 0) {
            ringHead = 0;
            ringLastTime = Long.MIN_VALUE;
        }
    }

    /**
     * Moves the ring's live entries, in order, to the start of new arrays, telling their slots, and
     * drops the holes. The arrays double only when live entries fill more than half of them: a
     * long-lived head (an event far ahead that is not a timer) would otherwise keep every hole
     * behind it, and the ring would grow with the run's length instead of with its live events.
     */
    private void growRing() {
        int n = ringSlot.length;
        int capacity = ringLive > n / 2 ? 2 * n : n;
        long[] time = new long[capacity];
        long[] seq = new long[capacity];
        int[] slots = new int[capacity];
        int live = 0;
        for (int k = 0; k < ringUsed; k++) {
            int i = (ringHead + k) & (n - 1);
            if (ringSlot[i] >= 0) {
                time[live] = ringTime[i];
                seq[live] = ringSeq[i];
                slots[live] = ringSlot[i];
                slotPos[slots[live]] = RING - live;
                live++;
            }
        }
        ringTime = time;
        ringSeq = seq;
        ringSlot = slots;
        ringHead = 0;
        ringUsed = live;
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
