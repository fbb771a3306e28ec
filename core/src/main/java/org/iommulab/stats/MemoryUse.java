package org.iommulab.stats;

/**
 * Peak memory the DMA layer held: IOVA bookkeeping (rbtree nodes, rcache magazines, or the legacy
 * bitmaps) and translation tables.
 */
public record MemoryUse(long iovaBytes, long tableBytes) {}
