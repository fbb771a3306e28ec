package org.iommulab.platform.shadow;

/**
 * The DMA mapping limit of one vfio container: vfio type1's {@code dma_entry_limit} (default
 * {@code U16_MAX}, drivers/vfio/vfio_iommu_type1.c) with one entry per mapped 4 KiB page, and
 * QEMU's copy of what is left ({@code s390_pci_start_dma_count}, hw/s390x/s390-pci-vfio.c).
 *
 * <p>QEMU keeps its own count and can drift from vfio's (it counts a changed page twice); this
 * model keeps one exact count, since a Linux guest never changes a shadowed page without an RPCIT
 * in between. Changed only under the hypervisor's global lock.
 */
final class DmaLimit {

    /** vfio type1's default {@code dma_entry_limit}. */
    static final long DEFAULT_ENTRIES = 65_535;

    private final long limit;
    private long used;

    DmaLimit(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("DMA entry limit " + limit + "; must be at least 1");
        }
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** {@code dma_limit->avail}: entries still free. */
    long avail() {
        return limit - used;
    }

    /** One entry taken by a new host mapping; the caller has checked {@link #avail()}. */
    void take() {
        if (used == limit) {
            throw new IllegalStateException("DMA entry limit " + limit + " exceeded");
        }
        used++;
    }

    /** {@code pages} entries freed by a host unmap. */
    void release(long pages) {
        if (pages > used) {
            throw new IllegalStateException("released " + pages + " DMA entries with " + used + " in use");
        }
        used -= pages;
    }
}
