package org.iommulab.sim;

import java.util.function.IntFunction;

/**
 * What every engine keeps alike: its CPUs, numbered from 0, the cost model that prices their work
 * and the counters the layers publish. A subclass makes its own kind of CPU to fill {@link #cpus}.
 *
 * @param <C> the engine's CPU
 */
public abstract class EngineBase<C extends Cpu> implements Engine {

    /** The engine's CPUs by number; the subclass's constructor fills it. */
    protected final C[] cpus;
    private final CostModel costs;
    private final Metrics metrics = new Metrics();

    /** @throws IllegalArgumentException when {@code nrCpus} is below 1 */
    protected EngineBase(int nrCpus, IntFunction<C[]> array, CostModel costs) {
        if (nrCpus < 1) {
            throw new IllegalArgumentException("nrCpus " + nrCpus + " must be at least 1");
        }
        this.cpus = array.apply(nrCpus);
        this.costs = costs;
    }

    @Override
    public final int nrCpus() {
        return cpus.length;
    }

    @Override
    public C cpu(int id) {
        return cpus[id];
    }

    @Override
    public final CostModel costs() {
        return costs;
    }

    @Override
    public final Metrics metrics() {
        return metrics;
    }
}
