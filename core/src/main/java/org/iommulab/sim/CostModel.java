package org.iommulab.sim;

import java.util.Arrays;
import java.util.Map;

/**
 * The value of every {@link Cost} for one run: the defaults with the user's overrides. It notes
 * which costs were read, so that a run can warn about an override that nothing in it used.
 */
public final class CostModel {

    private final long[] ns;
    /** Set on first read and never cleared; a racy write of true is harmless. */
    private final boolean[] read;

    private CostModel(long[] ns) {
        this.ns = ns;
        this.read = new boolean[ns.length];
    }

    /** Every cost at its documented default. */
    public static CostModel defaults() {
        long[] ns = new long[Cost.values().length];
        for (Cost c : Cost.values()) {
            ns[c.ordinal()] = c.defaultNs();
        }
        return new CostModel(ns);
    }

    /** Every cost zero: for functional tests and native runs that measure only the Java code. */
    /**
     * The largest cost a parameter may take, 1 s per unit of work: far above any real step, and
     * low enough that a run's sums of costs stay far from a long's limit.
     */
    public static final long MAX_NS = 1_000_000_000L;

    public static CostModel zero() {
        return new CostModel(new long[Cost.values().length]);
    }

    /**
     * This model with some costs replaced, by key.
     *
     * @throws IllegalArgumentException naming the key or value when a key is unknown or a value
     *     is outside 0..{@link #MAX_NS}
     */
    public CostModel with(Map<String, Long> overrides) {
        long[] copy = Arrays.copyOf(ns, ns.length);
        for (Map.Entry<String, Long> e : overrides.entrySet()) {
            Cost cost = byKey(e.getKey());
            if (e.getValue() < 0 || e.getValue() > MAX_NS) {
                throw new IllegalArgumentException("cost " + e.getKey() + "=" + e.getValue()
                        + " is outside 0.." + MAX_NS + " ns; costs are per unit of work, at most 1 s");
            }
            copy[cost.ordinal()] = e.getValue();
        }
        return new CostModel(copy);
    }

    /** The cost with this key. */
    public static Cost byKey(String key) {
        for (Cost c : Cost.values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "unknown cost parameter '" + key + "'; 'iommu-lab params' lists them");
    }

    /** Nanoseconds for one unit of {@code cost}. */
    public long ns(Cost cost) {
        int i = cost.ordinal();
        if (!read[i]) {
            read[i] = true;
        }
        return ns[i];
    }

    /** Whether anything has read {@code cost} from this model. */
    public boolean wasRead(Cost cost) {
        return read[cost.ordinal()];
    }
}
