package org.iommulab.ideal;

/**
 * How the ideal IOMMU's page-table leaves lay out their entries. Hardware packs eight 8-byte
 * entries into a 64-byte line, so CPUs whose IOVAs interleave write the same lines, as they do in
 * the kernel; spacing the entries a line apart takes that sharing away, for benchmarks that
 * measure the DMA layer's own scaling.
 */
public enum PteLayout {
    /** Eight entries a cache line, as in hardware page tables. */
    PACKED,
    /** One entry in 128 bytes: two cache lines, the pair an adjacent-line prefetcher fetches together. */
    SPACED
}
