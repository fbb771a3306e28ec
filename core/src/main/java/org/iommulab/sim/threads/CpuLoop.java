package org.iommulab.sim.threads;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.iommulab.sim.TimerCallback;

/**
 * One CPU's thread when a workload runs on a {@link NativeEngine}: it runs the work posted to its
 * CPU, earliest first, spinning until a job's time as {@code ndelay} does, and the timers that
 * expired on its CPU between two jobs. Work the CPU posts for
 * itself goes straight into its own queues, which no other thread touches; work from elsewhere
 * arrives through a concurrent inbox. Equal times run in the order posted.
 */
final class CpuLoop implements Runnable {

    private final NativeCpu cpu;
    private final Quiescence quiescence;
    private final ConcurrentLinkedQueue<Posted> inbox = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    /** Written on every job: allocated by the loop's own thread, so no other CPU's data shares its lines. */
    private Queue queue;

    CpuLoop(NativeCpu cpu, Quiescence quiescence) {
        this.cpu = cpu;
        this.quiescence = quiescence;
    }

    void start() {
        thread = new Thread(this, "iommu-lab-" + cpu);
        thread.start();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    void post(long atNs, TimerCallback action) {
        if (Thread.currentThread() == thread) {
            queue.add(atNs, action);
        } else {
            inbox.add(new Posted(atNs, 0, action));
            quiescence.posted();
        }
    }

    /** Whether nothing waits for this CPU from elsewhere: no posted work, no raised timer. */
    boolean nothingArrived() {
        return inbox.isEmpty() && !cpu.softirqPending();
    }

    @Override
    public void run() {
        Queue q = new Queue();
        queue = q;
        try {
            while (!quiescence.done()) {
                cpu.runSoftirqs();
                for (Posted p; (p = inbox.poll()) != null; ) {
                    q.add(p.atNs, p.action);
                }
                if (q.isEmpty()) {
                    if (!quiescence.awaitWork(this)) {
                        return;
                    }
                    continue;
                }
                long atNs = q.firstAt();
                if (atNs > cpu.lastNowNs() && atNs > cpu.nowNs()) {
                    Thread.onSpinWait();
                } else {
                    q.removeFirst().run(cpu);
                }
            }
        } catch (RuntimeException | Error e) {
            quiescence.fail(e);
        }
    }

    /**
     * One CPU's work, earliest first and equal times in the order posted: work posted in time
     * order (the usual case) in a ring of parallel arrays, which allocates nothing; work posted for
     * a time before the ring's last in a heap.
     */
    private static final class Queue {
        private long[] ringAt = new long[16];
        private long[] ringSeq = new long[16];
        private TimerCallback[] ringAction = new TimerCallback[16];
        private int head;
        private int size;
        private final PriorityQueue<Posted> late = new PriorityQueue<>();
        private long nextSeq;

        boolean isEmpty() {
            return size == 0 && late.isEmpty();
        }

        void add(long atNs, TimerCallback action) {
            long seq = nextSeq++;
            if (size > 0 && atNs < ringAt[(head + size - 1) & (ringAt.length - 1)]) {
                late.add(new Posted(atNs, seq, action));
                return;
            }
            if (size == ringAt.length) {
                grow();
            }
            int tail = (head + size) & (ringAt.length - 1);
            ringAt[tail] = atNs;
            ringSeq[tail] = seq;
            ringAction[tail] = action;
            size++;
        }

        long firstAt() {
            return ringFirst() ? ringAt[head] : late.peek().atNs;
        }

        TimerCallback removeFirst() {
            if (!ringFirst()) {
                return late.poll().action;
            }
            TimerCallback action = ringAction[head];
            ringAction[head] = null;
            head = (head + 1) & (ringAt.length - 1);
            size--;
            return action;
        }

        private boolean ringFirst() {
            if (late.isEmpty()) {
                return true;
            }
            Posted p = late.peek();
            return size > 0 && (ringAt[head] != p.atNs ? ringAt[head] < p.atNs : ringSeq[head] < p.seq);
        }

        private void grow() {
            int n = ringAt.length;
            long[] at = new long[n * 2];
            long[] seq = new long[n * 2];
            TimerCallback[] action = new TimerCallback[n * 2];
            for (int i = 0; i < size; i++) {
                int from = (head + i) & (n - 1);
                at[i] = ringAt[from];
                seq[i] = ringSeq[from];
                action[i] = ringAction[from];
            }
            ringAt = at;
            ringSeq = seq;
            ringAction = action;
            head = 0;
        }
    }

    private record Posted(long atNs, long seq, TimerCallback action) implements Comparable<Posted> {
        @Override
        public int compareTo(Posted o) {
            return atNs != o.atNs ? Long.compare(atNs, o.atNs) : Long.compare(seq, o.seq);
        }
    }
}
