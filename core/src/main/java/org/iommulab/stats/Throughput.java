package org.iommulab.stats;

/** Completed I/Os and bytes per second of virtual time. */
public record Throughput(double iops, double bytesPerSec) {

    /** The rates of {@code io}'s completed I/Os over {@code durationNs}; zero for an empty run. */
    public static Throughput of(IoCounts io, long durationNs) {
        if (durationNs <= 0) {
            return new Throughput(0, 0);
        }
        double seconds = durationNs / 1e9;
        return new Throughput(io.completed() / seconds, io.bytes() / seconds);
    }
}
