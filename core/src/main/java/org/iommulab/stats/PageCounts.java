package org.iommulab.stats;

import java.util.Map;

/** The s390 "Mapped pages" and "Unmapped pages" statistics: 4 KiB pages entered and cleared. */
public record PageCounts(long mapped, long unmapped) {

    Map<String, Object> toMap() {
        return new JsonMap().put("mapped", mapped).put("unmapped", unmapped).map();
    }
}
