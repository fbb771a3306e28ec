package org.iommulab.stats;

import java.util.Map;

/**
 * Peak memory the DMA layer held: IOVA bookkeeping (rbtree nodes, rcache magazines, or the legacy
 * bitmaps) and translation tables.
 */
public record MemoryUse(long iovaBytes, long tableBytes) {

    Map<String, Object> toMap() {
        return new JsonMap().put("iovaBytes", iovaBytes).put("tableBytes", tableBytes).map();
    }
}
