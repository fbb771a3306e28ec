package org.iommulab.workload;

import org.HdrHistogram.Histogram;

/**
 * What a workload did, at the moment it was asked: I/Os submitted, completed, failed and still in
 * flight (submitted = completed + failed + inFlight, checked when made), failed mapping attempts,
 * bytes moved by completed I/Os, the latency of each completed I/O in ns, and the device's
 * accesses that found no usable translation (each fails its I/O).
 *
 * @param latencyNs a copy owned by this result
 * @param failedBy the failed I/Os by cause, adding up to {@code failed}
 */
public record IoResult(long submitted, long completed, long failed, long inFlight, long mapErrors,
        long bytes, Histogram latencyNs, long translationFaults, IoFailures failedBy) {

    /** The two results together, as one workload's (a NIC's receive and transmit sides). */
    public IoResult plus(IoResult other) {
        Histogram both = latencyNs.copy();
        both.add(other.latencyNs);
        return new IoResult(submitted + other.submitted, completed + other.completed,
                failed + other.failed, inFlight + other.inFlight, mapErrors + other.mapErrors,
                bytes + other.bytes, both, translationFaults + other.translationFaults, failedBy.plus(other.failedBy));
    }
}
