package org.iommulab.sim.threads;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.EngineBase;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;

/**
 * The engine of the concurrency checks (Lincheck, jcstress): real locks as {@link NativeEngine}
 * gives them, but no time at all. Costs are free, every CPU's clock stays at 0 and timers are only
 * armed, never fired: a check that builds a fresh state millions of times drives any timer path
 * itself from one of its threads, and a timer thread firing into old states would add only noise.
 * Any thread may use any CPU, as after a migration; every per-CPU structure has its own lock.
 */
public final class UntimedEngine extends EngineBase<Cpu> {

    public UntimedEngine(int nrCpus) {
        super(nrCpus, Cpu[]::new, CostModel.zero());
        for (int i = 0; i < nrCpus; i++) {
            cpus[i] = new UntimedCpu(i);
        }
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

    private record UntimedCpu(int id) implements Cpu {
        @Override
        public long nowNs() {
            return 0;
        }

        @Override
        public void spend(Cost cost, long count) {
            // free: these checks look at ordering, not time
        }
    }
}
