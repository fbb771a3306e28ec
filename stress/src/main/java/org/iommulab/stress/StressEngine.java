package org.iommulab.stress;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;

/**
 * The engine of the jcstress tests: real locks and free costs, as {@code sim.NativeEngine} gives
 * them, but timers that are only armed and never fire. A jcstress test builds a fresh state
 * millions of times and drives any timer path itself from an actor; a timer thread firing into
 * old states would only add noise and memory.
 */
public final class StressEngine implements Engine {

    private final Cpu[] cpus;

    public StressEngine(int nrCpus) {
        cpus = new Cpu[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            cpus[i] = new StressCpu(i);
        }
    }

    @Override
    public int nrCpus() {
        return cpus.length;
    }

    @Override
    public Cpu cpu(int id) {
        return cpus[id];
    }

    @Override
    public SpinLock newSpinLock(String name) {
        ReentrantLock lock = new ReentrantLock();
        return new SpinLock() {
            @Override
            public void lock(Cpu cpu) {
                lock.lock();
            }

            @Override
            public void unlock(Cpu cpu) {
                lock.unlock();
            }
        };
    }

    @Override
    public KTimer newTimer(String name, TimerCallback callback) {
        AtomicBoolean armed = new AtomicBoolean();
        return new KTimer() {
            @Override
            public void mod(Cpu cpu, long delayNs) {
                armed.set(true);
            }

            @Override
            public boolean schedule(Cpu cpu, long delayNs) {
                return armed.compareAndSet(false, true);
            }

            @Override
            public boolean pending() {
                return armed.get();
            }

            @Override
            public void cancel() {
                armed.set(false);
            }
        };
    }

    @Override
    public CostModel costs() {
        return CostModel.zero();
    }

    private record StressCpu(int id) implements Cpu {
        @Override
        public long nowNs() {
            return System.nanoTime();
        }

        @Override
        public void spend(Cost cost, long count) {
            // costs are free: the tests look at ordering, not time
        }
    }
}
