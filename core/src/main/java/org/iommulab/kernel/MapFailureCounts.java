package org.iommulab.kernel;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Failed DMA maps by {@link MapFailure}, counted from any CPU without contention. */
public final class MapFailureCounts {

    private final LongAdder[] counts = new LongAdder[MapFailure.values().length];

    public MapFailureCounts() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void add(MapFailure cause) {
        counts[cause.ordinal()].increment();
    }

    /** The causes seen so far, with their counts; causes never seen are left out. */
    public Map<MapFailure, Long> snapshot() {
        Map<MapFailure, Long> out = new EnumMap<>(MapFailure.class);
        for (MapFailure f : MapFailure.values()) {
            long n = counts[f.ordinal()].sum();
            if (n > 0) {
                out.put(f, n);
            }
        }
        return out;
    }
}
