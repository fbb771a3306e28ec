package org.iommulab.fault;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of injected failure ({@code struct fault_attr}): each call of {@link #shouldFail()} fails
 * with the attribute's probability. The n-th call's answer is a hash of the seed and n, so a run in
 * virtual time, which makes its calls in one order, fails at the same calls every time; on real
 * threads the calls are shared out in whatever order the threads take them. Thread-safe; an
 * attribute with probability 0 answers without touching shared state.
 */
public final class FaultAttr {

    /** An attribute that never fails. */
    public static final FaultAttr NEVER = new FaultAttr(0, 0);

    private final double probability;
    private final long seed;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    /**
     * @param probability the chance that a call fails, 0..1
     * @param seed the stream's seed
     */
    public FaultAttr(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("fault probability " + probability + "; allowed 0..1");
        }
        this.probability = probability;
        this.seed = seed;
    }

    /** {@code should_fail}: whether this call fails. */
    public boolean shouldFail() {
        if (probability == 0) {
            return false;
        }
        long n = calls.getAndIncrement();
        if (probability < 1 && unitInterval(seed + n * 0x9E37_79B9_7F4A_7C15L) >= probability) {
            return false;
        }
        injected.incrementAndGet();
        return true;
    }

    public double probability() {
        return probability;
    }

    /** Calls that failed so far. */
    public long injected() {
        return injected.get();
    }

    /** SplitMix64's finaliser, mapped to [0, 1) with 53 bits. */
    private static double unitInterval(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
