package org.iommulab.sim.virtual;

import java.util.Arrays;

/**
 * Which CPU of a {@link VirtualEngine} runs next: an indexed binary min-heap of CPU numbers keyed
 * by (the time the CPU's next event can start, that event's sequence number). A CPU is in the
 * heap while it has events queued; its key is the later of its first event's time and its clock,
 * so the events a busy CPU is behind on wait there without being looked at again.
 */
final class VirtualCpuHeap {

    private final int[] heap;
    private final long[] keyTime;
    private final long[] keySeq;
    private final int[] pos;
    private int size;

    VirtualCpuHeap(int nrCpus) {
        heap = new int[nrCpus];
        keyTime = new long[nrCpus];
        keySeq = new long[nrCpus];
        pos = new int[nrCpus];
        Arrays.fill(pos, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The CPU to run next; only when not empty. */
    int first() {
        return heap[0];
    }

    /** When the first CPU's next event starts; only when not empty. */
    long firstTime() {
        return keyTime[heap[0]];
    }

    /** Puts {@code cpu} in the heap with this key, or moves it there if it is in already. */
    void set(int cpu, long time, long seq) {
        long oldTime = keyTime[cpu];
        long oldSeq = keySeq[cpu];
        keyTime[cpu] = time;
        keySeq[cpu] = seq;
        int p = pos[cpu];
        if (p < 0) {
            siftUp(size++, cpu);
        } else if (less(time, seq, oldTime, oldSeq)) {
            siftUp(p, cpu);
        } else {
            siftDown(p, cpu);
        }
    }

    /** Takes {@code cpu} out of the heap if it is in. */
    void remove(int cpu) {
        int p = pos[cpu];
        if (p < 0) {
            return;
        }
        pos[cpu] = -1;
        int last = heap[--size];
        if (p == size) {
            return;
        }
        if (p > 0 && lessCpu(last, heap[(p - 1) >>> 1])) {
            siftUp(p, last);
        } else {
            siftDown(p, last);
        }
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private boolean lessCpu(int a, int b) {
        return less(keyTime[a], keySeq[a], keyTime[b], keySeq[b]);
    }

    private void siftUp(int p, int cpu) {
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            int up = heap[parent];
            if (!lessCpu(cpu, up)) {
                break;
            }
            heap[p] = up;
            pos[up] = p;
            p = parent;
        }
        heap[p] = cpu;
        pos[cpu] = p;
    }

    private void siftDown(int p, int cpu) {
        int half = size >>> 1;
        while (p < half) {
            int child = 2 * p + 1;
            int right = child + 1;
            if (right < size && lessCpu(heap[right], heap[child])) {
                child = right;
            }
            if (!lessCpu(heap[child], cpu)) {
                break;
            }
            heap[p] = heap[child];
            pos[heap[p]] = p;
            p = child;
        }
        heap[p] = cpu;
        pos[cpu] = p;
    }
}
