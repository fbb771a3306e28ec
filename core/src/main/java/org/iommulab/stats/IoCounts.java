package org.iommulab.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of a run's I/Os: every submitted I/O ends completed or failed; an I/O fails when its
 * DMA maps keep failing, when the device meets an access it cannot translate, or when the device
 * reports an error, and the map errors are counted by the step that failed.
 *
 * @param failedByCause failed I/Os by cause ({@code mapError}, {@code translationFault},
 *     {@code deviceError}), adding up to {@code failed}
 * @param mapErrors mapping calls that returned an error, including those a retry later got past
 * @param bytes bytes moved by completed I/Os
 * @param mapErrorsByCause map errors per cause, every cause present (0 when it never happened), so
 *     that every run has the same keys
 */
public record IoCounts(long submitted, long completed, long failed, Map<String, Long> failedByCause, long mapErrors,
        Map<String, Long> mapErrorsByCause, long bytes) {

    public IoCounts {
        failedByCause = Collections.unmodifiableMap(new LinkedHashMap<>(failedByCause));
        mapErrorsByCause = Map.copyOf(mapErrorsByCause);
    }

    /**
     * Whether every submitted I/O is accounted for: submitted = completed + failed, and the
     * failures by cause add up to the failures.
     */
    public boolean balanced() {
        return submitted == completed + failed
                && failedByCause.values().stream().mapToLong(Long::longValue).sum() == failed;
    }
}
