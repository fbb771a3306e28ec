package org.iommulab.workload;

import org.HdrHistogram.Histogram;

/**
 * The accounting of one workload's I/Os, as a driver's statistics would keep it: each I/O is
 * submitted once and ends completed or failed, and a failure has one cause ({@link IoFailures});
 * mapping errors are counted per failed attempt.
 * Single-threaded: on real threads each CPU keeps its own, added up when read ({@link #addTo}).
 *
 * <p>The identity submitted = completed + failed + in flight is checked against the workload's
 * own count of I/Os it still holds ({@link #snapshot}), so an I/O that was lost or ended twice
 * shows up as an error rather than as a wrong throughput.
 */
public final class IoCounters {

    private final Histogram latencyNs = new Histogram(3);
    private long submitted;
    private long completed;
    private long failedMapping;
    private long failedTranslation;
    private long failedDevice;
    private long mapErrors;
    private long bytes;
    private long translationFaults;

    /** A new I/O entered the driver. */
    void submit() {
        submitted++;
    }

    /** An I/O ended successfully after {@code latency} ns, moving {@code ioBytes}. */
    void complete(long ioBytes, long latency) {
        completed++;
        bytes += ioBytes;
        latencyNs.recordValue(latency);
    }

    /** An I/O was given up because its DMA maps kept failing. */
    void failMapping() {
        failedMapping++;
    }

    /** An I/O failed because the device met an access it could not translate. */
    void failTranslation() {
        failedTranslation++;
    }

    /** An I/O failed because the device ended it with an error status. */
    void failDevice() {
        failedDevice++;
    }

    /** The device met {@code faults} accesses it could not translate; their I/O will fail. */
    void translationFaults(long faults) {
        translationFaults += faults;
    }

    /** One attempt to map an I/O's buffers returned an error. */
    void mapError() {
        mapErrors++;
    }

    /** Submitted and not yet ended, by these counters. */
    long inFlight() {
        return submitted - completed - failedMapping - failedTranslation - failedDevice;
    }

    /** Adds these counts into {@code total}. */
    void addTo(IoCounters total) {
        total.latencyNs.add(latencyNs);
        total.submitted += submitted;
        total.completed += completed;
        total.failedMapping += failedMapping;
        total.failedTranslation += failedTranslation;
        total.failedDevice += failedDevice;
        total.mapErrors += mapErrors;
        total.bytes += bytes;
        total.translationFaults += translationFaults;
    }

    /**
     * The counters now, with the identity checked.
     *
     * @param inFlight the I/Os the workload holds now: submitted and not yet ended
     * @throws IllegalStateException naming the numbers when they do not add up
     */
    public IoResult snapshot(long inFlight) {
        IoFailures failed = new IoFailures(failedMapping, failedTranslation, failedDevice);
        if (submitted != completed + failed.total() + inFlight) {
            throw new IllegalStateException("I/O accounting broken: submitted " + submitted
                    + " != completed " + completed + " + failed " + failed.total() + " + in flight " + inFlight);
        }
        return new IoResult(submitted, completed, failed.total(), inFlight, mapErrors, bytes, latencyNs.copy(),
                translationFaults, failed);
    }
}
