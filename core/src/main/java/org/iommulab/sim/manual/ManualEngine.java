package org.iommulab.sim.manual;

import java.util.PriorityQueue;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.EngineBase;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;

/**
 * A deterministic single-threaded engine for tests: one clock shared by all CPUs that only the
 * test moves ({@link #advanceBy}), timers that fire in expiry order while it moves, and a count
 * of every cost spent so tests can see which work a path did.
 */
public final class ManualEngine extends EngineBase<Cpu> {

    private final long[] spent = new long[Cost.values().length];
    private final PriorityQueue<Expiry> timers = new PriorityQueue<>();
    private long now;
    private long seq;

    public ManualEngine(int nrCpus) {
        this(nrCpus, CostModel.zero());
    }

    public ManualEngine(int nrCpus, CostModel costs) {
        super(nrCpus, Cpu[]::new, costs);
        for (int i = 0; i < nrCpus; i++) {
            cpus[i] = new ManualCpu(i);
        }
    }

    @Override
    public SpinLock newSpinLock(String name) {
        return new CheckedLock(name);
    }

    @Override
    public KTimer newTimer(String name, TimerCallback callback) {
        return new ManualTimer(callback);
    }

    /** The shared clock, in ns. */
    public long nowNs() {
        return now;
    }

    /** Moves the clock forward by {@code ns}, running every timer that expires on the way. */
    public void advanceBy(long ns) {
        advanceTo(now + ns);
    }

    /** Moves the clock to {@code t}, running every timer that expires up to and including t. */
    public void advanceTo(long t) {
        while (!timers.isEmpty() && timers.peek().at <= t) {
            Expiry e = timers.poll();
            if (e.timer.armedSeq != e.seq) {
                continue; // re-armed or cancelled since
            }
            now = Math.max(now, e.at);
            e.timer.armedSeq = -1;
            e.timer.callback.run(e.cpu);
        }
        now = Math.max(now, t);
    }

    /** How many units of {@code cost} were spent on all CPUs so far. */
    public long spent(Cost cost) {
        return spent[cost.ordinal()];
    }

    private final class ManualCpu implements Cpu {
        private final int id;

        ManualCpu(int id) {
            this.id = id;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public long nowNs() {
            return now;
        }

        @Override
        public void spend(Cost cost, long count) {
            spent[cost.ordinal()] += count;
        }

        @Override
        public String toString() {
            return "cpu" + id;
        }
    }

    /** A lock that fails loudly on recursion or a foreign unlock: in one thread either is a bug. */
    private static final class CheckedLock implements SpinLock {
        private final String name;
        private Cpu holder;

        CheckedLock(String name) {
            this.name = name;
        }

        @Override
        public void lock(Cpu cpu) {
            if (holder != null) {
                throw new IllegalStateException(name + " taken by " + cpu + " while held by " + holder);
            }
            holder = cpu;
        }

        @Override
        public void unlock(Cpu cpu) {
            if (holder != cpu) {
                throw new IllegalStateException(name + " released by " + cpu + " but held by " + holder);
            }
            holder = null;
        }
    }

    private final class ManualTimer implements KTimer {
        private final TimerCallback callback;
        private long armedSeq = -1;

        ManualTimer(TimerCallback callback) {
            this.callback = callback;
        }

        @Override
        public void mod(Cpu cpu, long delayNs) {
            armedSeq = seq++;
            timers.add(new Expiry(now + delayNs, armedSeq, this, cpu));
        }

        @Override
        public boolean schedule(Cpu cpu, long delayNs) {
            if (pending()) {
                return false;
            }
            mod(cpu, delayNs);
            return true;
        }

        @Override
        public boolean pending() {
            return armedSeq >= 0;
        }

        @Override
        public void cancel() {
            armedSeq = -1;
        }
    }

    private record Expiry(long at, long seq, ManualTimer timer, Cpu cpu) implements Comparable<Expiry> {
        @Override
        public int compareTo(Expiry o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
