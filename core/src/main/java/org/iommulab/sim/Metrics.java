package org.iommulab.sim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where the model's layers publish what they count, as kernel code exposes its counters in
 * debugfs: the producer names each counter and says how to read it, the runner reads them all
 * ({@link #snapshot}), and a new counter needs no code anywhere else. Names are dotted, the
 * producer first ({@code smmu.cmdSyncs}); a counter reads 0 until its producer has counted.
 */
public final class Metrics {

    private final Map<String, LongSupplier> counters = new LinkedHashMap<>();
    private final Map<String, Integer> instances = new HashMap<>();

    /**
     * One more instance of {@code producer}, which publishes its counters under its name: the
     * producer's for the first, then {@code producer1}, {@code producer2}, ... as the kernel
     * numbers {@code dmar0}, {@code dmar1}.
     */
    public synchronized Unit unit(String producer) {
        int n = instances.merge(producer, 1, Integer::sum) - 1;
        return new Unit(n == 0 ? producer : producer + n);
    }

    /** A producer's counters, published as {@code NAME.counter}. */
    public final class Unit {
        private final String name;

        private Unit(String name) {
            this.name = name;
        }

        /** The name its counters are published under. */
        public String name() {
            return name;
        }

        /** Publishes {@code NAME.counter}; see {@link Metrics#counter}. */
        public Unit counter(String counter, LongSupplier value) {
            Metrics.this.counter(name + "." + counter, value);
            return this;
        }
    }

    /**
     * Publishes the counter {@code name}, read by {@code value} when a snapshot is taken.
     *
     * @throws IllegalArgumentException when {@code name} is already published
     */
    public synchronized void counter(String name, LongSupplier value) {
        if (counters.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("metric " + name + " is published twice");
        }
    }

    /** Every counter's value now, in the order published. */
    public synchronized Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        counters.forEach((name, value) -> out.put(name, value.getAsLong()));
        return out;
    }
}
