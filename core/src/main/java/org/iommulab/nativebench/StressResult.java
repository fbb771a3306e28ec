package org.iommulab.nativebench;

import java.util.List;
import java.util.Map;

/**
 * What a stress run of one target did and found.
 *
 * @param maps successful {@code map_page} calls
 * @param sgMaps successful {@code map_sg} calls
 * @param unmaps unmaps of either kind
 * @param mapErrors failed maps by reason ({@code DMA_MAPPING_ERROR} or the errno's name)
 * @param staleChecks pages checked unreachable after the flush covering their unmap
 * @param uncheckedUnmaps unmaps whose covering flush had not completed when the run ended, or whose
 *     platform refused a flush meanwhile
 * @param violations safety violations found
 * @param firstViolations the first {@link Violations#KEPT} of them, described
 */
public record StressResult(String name, long maps, long sgMaps, long unmaps, Map<String, Long> mapErrors,
        long staleChecks, long uncheckedUnmaps, long violations, List<String> firstViolations, long elapsedNs) {

    public StressResult {
        mapErrors = Map.copyOf(mapErrors);
        firstViolations = List.copyOf(firstViolations);
    }
}
