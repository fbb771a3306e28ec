package org.iommulab.workload;

/**
 * How a driver handles a mapping error: try the mapping up to {@code maxTries} times in all,
 * waiting {@code backoffNs} before each retry, then fail the I/O and wait {@code backoffNs} again
 * before the next one. The wait is at least 1 ns so that an error that persists cannot stop
 * virtual time.
 */
public record MapRetry(int maxTries, long backoffNs) {

    /** The most tries allowed. */
    public static final int MAX_TRIES = 1_000_000;
    /** The longest backoff allowed: 10 s. */
    public static final long MAX_BACKOFF_NS = 10_000_000_000L;

    public MapRetry {
        Options.requireRange("map retry maxTries", maxTries, 1, MAX_TRIES);
        Options.requireRange("map retry backoffNs", backoffNs, 1, MAX_BACKOFF_NS);
    }
}
