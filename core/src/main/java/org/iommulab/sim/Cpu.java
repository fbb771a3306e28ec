package org.iommulab.sim;

/**
 * The CPU a kernel path runs on: its number, as {@code smp_processor_id()} or {@code raw_cpu_ptr()}
 * resolve it, and the time the path spends there.
 *
 * <p>Hot paths take the CPU as an explicit argument rather than from a thread-local, so the same
 * code runs in virtual time (many simulated CPUs on one thread) and natively (one thread per CPU).
 */
public interface Cpu {

    /** This CPU's number, {@code 0 <= id < engine.nrCpus()}. */
    int id();

    /** The current time on this CPU, in nanoseconds since the engine started. */
    long nowNs();

    /**
     * Spends {@code count} units of a named cost on this CPU. In virtual time this advances the
     * CPU's clock by {@code count x} the cost's value and books it to the cost's category; natively
     * it does nothing or busy-waits the same time, as the engine was configured.
     */
    void spend(Cost cost, long count);

    /** Spends one unit of {@code cost}. */
    default void spend(Cost cost) {
        spend(cost, 1);
    }

    /**
     * An interrupt point: this CPU is between two pieces of its work and holds no lock, so the
     * timers that expired on it run here, as the timer softirq runs them on {@code irq_exit}.
     * Natively, whatever drives the CPU calls it (the engine's CPU loop between two jobs, a
     * benchmark or stress thread between two DMA calls); in virtual time timers run from the event
     * queue and it does nothing.
     */
    default void runSoftirqs() {
    }
}
