package org.iommulab.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * What became of a run's I/Os: every submitted I/O ends completed or failed, the failed ones with a
 * reason (an errno name or a driver's give-up reason).
 *
 * @param mapErrors mapping calls that returned an error, including those a retry later got past
 * @param bytes bytes moved by completed I/Os
 * @param failedByReason failed I/Os per reason, sorted by reason
 */
public record IoCounts(long submitted, long completed, long failed, long mapErrors, long bytes,
        Map<String, Long> failedByReason) {

    public IoCounts {
        failedByReason = Map.copyOf(failedByReason);
    }

    /** Whether every submitted I/O is accounted for: submitted = completed + failed. */
    public boolean balanced() {
        return submitted == completed + failed;
    }

    Map<String, Object> toMap() {
        return new JsonMap()
                .put("submitted", submitted)
                .put("completed", completed)
                .put("failed", failed)
                .put("mapErrors", mapErrors)
                .put("bytes", bytes)
                .put("failedByReason", new TreeMap<>(failedByReason))
                .map();
    }
}
