package org.iommulab.nativebench;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * @param refusalHits live mappings that reached the wrong page, or faulted, because the
 *     platform refused a flush or their map: the platform's failure, not a violation
 * @param faultsInjected failures injected into the target by the kinds that applied to it, by name
 */
public record StressResult(String name, long maps, long sgMaps, long unmaps, Map<String, Long> mapErrors,
        long staleChecks, long uncheckedUnmaps, long violations, List<String> firstViolations, long elapsedNs,
        long refusalHits, Map<String, Long> faultsInjected) {

    public StressResult {
        mapErrors = Map.copyOf(mapErrors);
        firstViolations = List.copyOf(firstViolations);
        faultsInjected = Collections.unmodifiableMap(new TreeMap<>(faultsInjected));
    }
}
