package org.iommulab.workload;

/**
 * How a driver handles a mapping error: it tries an I/O's mapping up to {@code maxTries} times in
 * all, then fails the I/O; {@code backoffNs} is the wait before a retry that nothing else
 * triggers sooner (see {@link BlkMqHwCtx} and {@link RequestSlot}). The wait is at least 1 ns so
 * that an error that persists cannot stop virtual time.
 */
public record MapRetry(int maxTries, long backoffNs) {

    /** The most tries allowed. */
    public static final int MAX_TRIES = 1_000_000;
    /** The longest backoff allowed: 10 s. */
    public static final long MAX_BACKOFF_NS = 10_000_000_000L;

    public MapRetry {
        OptionRange.requireRange("map retry maxTries", maxTries, 1, MAX_TRIES);
        OptionRange.requireRange("map retry backoffNs", backoffNs, 1, MAX_BACKOFF_NS);
    }
}
