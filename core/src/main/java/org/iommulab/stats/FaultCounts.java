package org.iommulab.stats;

import java.util.Map;

/**
 * What a run's injected faults did and what DMA-API debugging found: failures injected by kind
 * (every random kind present, 0 when not injected), and, when faults were injected and the
 * debugging was on, the errors it found (an address handed out twice, an unmap of nothing) and the
 * mappings still live after every I/O ended (leaks).
 *
 * @param dmaDebug whether DMA-API debugging watched the run (it does whenever a fault is injected)
 */
public record FaultCounts(Map<String, Long> injected, boolean dmaDebug, long dmaDebugErrors, long leakedMappings) {

    public FaultCounts {
        injected = Map.copyOf(injected);
    }
}
