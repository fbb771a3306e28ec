package org.iommulab.s390.legacy;

import org.iommulab.sim.Cpu;
import org.iommulab.sim.SpinLock;

/**
 * The per-device IOVA allocator of the old s390 DMA API: {@code dma_alloc_address()} and
 * {@code dma_free_address()} with the {@code iommu_bitmap}, {@code lazy_bitmap}, {@code next_bit}
 * and {@code iommu_bitmap_lock} of {@code struct zpci_dev} (arch/s390/pci/pci_dma.c, v5.10 to
 * v6.6). Offsets are 4 KiB pages from {@code start_dma}.
 *
 * <p>Next-fit: each search starts at {@code next_bit}; a success moves it to just past the area,
 * a failure leaves it alone. When the search from {@code next_bit} fails the allocator wraps: in
 * lazy mode it first issues one global refresh (RPCIT over the whole aperture) and, only if that
 * succeeds, returns every lazily freed page to the main bitmap and empties the lazy bitmap; in
 * both modes it then searches again from 0. A lazy free only marks the pages in the lazy bitmap,
 * so they stay allocated, and reachable through stale IOTLB entries, until that refresh. A strict
 * free clears them at once, after the unmap's own RPCIT.
 *
 * <p>All state is guarded by the one spinlock, held across the wrap's refresh as the kernel held
 * {@code iommu_bitmap_lock}. {@link #wraps}, {@link #used} and {@link #lazy} are for statistics and
 * tests and are exact only while no other CPU allocates or frees.
 */
public final class LegacyBitmapAllocator {

    /** The global refresh the wrap issues ({@code zpci_refresh_global}); 0 or a negative errno. */
    @FunctionalInterface
    public interface GlobalRefresh {
        int zpciRefreshGlobal(Cpu cpu);
    }

    /** What {@link #dmaAllocAddress} returns when no area is free. */
    public static final long NO_SPACE = IommuHelper.NO_AREA;

    private final SpinLock iommuBitmapLock;
    private final long iommuPages;
    private final long shift;
    private final long boundaryPages;
    private final boolean strict;
    private final GlobalRefresh refresh;
    private final long[] iommuBitmap;
    private final long[] lazyBitmap;
    private long nextBit;
    private volatile long wraps;

    /**
     * @param iommuPages pages in the aperture ({@code iommu_pages}), one bit each
     * @param shift {@code start_dma >> PAGE_SHIFT}, where segment boundaries are counted from
     * @param boundaryPages the device's segment boundary in pages, a power of two
     * @param strict {@code s390_iommu=strict}: frees clear bits, the wrap issues no refresh
     */
    public LegacyBitmapAllocator(SpinLock iommuBitmapLock, long iommuPages, long shift,
            long boundaryPages, boolean strict, GlobalRefresh refresh) {
        if (iommuPages < 2 || iommuPages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "aperture of " + iommuPages + " pages; allowed 2.." + Integer.MAX_VALUE);
        }
        if (Long.bitCount(boundaryPages) != 1) {
            throw new IllegalArgumentException(
                    "segment boundary of " + boundaryPages + " pages; must be a power of two");
        }
        this.iommuBitmapLock = iommuBitmapLock;
        this.iommuPages = iommuPages;
        this.shift = shift;
        this.boundaryPages = boundaryPages;
        this.strict = strict;
        this.refresh = refresh;
        this.iommuBitmap = new long[IommuHelper.wordsFor(iommuPages)];
        this.lazyBitmap = strict ? null : new long[IommuHelper.wordsFor(iommuPages)];
    }

    /**
     * {@code dma_alloc_address}: {@code size} contiguous pages.
     *
     * @return the first page's offset from {@code start_dma}, or {@link #NO_SPACE} when neither
     *     search finds room or the wrap's global refresh fails
     */
    public long dmaAllocAddress(Cpu cpu, int size) {
        iommuBitmapLock.lock(cpu);
        try {
            long offset = dmaAllocIommu(cpu, nextBit, size);
            if (offset == IommuHelper.NO_AREA) {
                wraps++;
                if (!strict) {
                    if (refresh.zpciRefreshGlobal(cpu) != 0) {
                        return NO_SPACE;
                    }
                    reclaimLazyLocked(cpu);
                }
                offset = dmaAllocIommu(cpu, 0, size);
                if (offset == IommuHelper.NO_AREA) {
                    return NO_SPACE;
                }
            }
            nextBit = offset + size;
            return offset;
        } finally {
            iommuBitmapLock.unlock(cpu);
        }
    }

    /** {@code dma_free_address}: strict clears the pages, lazy marks them for the next wrap. */
    public void dmaFreeAddress(Cpu cpu, long offset, int size) {
        iommuBitmapLock.lock(cpu);
        try {
            if (strict) {
                IommuHelper.bitmapClear(cpu, iommuBitmap, offset, size);
            } else {
                IommuHelper.bitmapSet(cpu, lazyBitmap, offset, size);
            }
        } finally {
            iommuBitmapLock.unlock(cpu);
        }
    }

    /**
     * After a global refresh outside the wrap ({@code __dma_purge_tlb}'s out-of-resources path):
     * every lazily freed page becomes free again. Does nothing in strict mode.
     */
    public void reclaimLazy(Cpu cpu) {
        if (strict) {
            return;
        }
        iommuBitmapLock.lock(cpu);
        try {
            reclaimLazyLocked(cpu);
        } finally {
            iommuBitmapLock.unlock(cpu);
        }
    }

    private void reclaimLazyLocked(Cpu cpu) {
        IommuHelper.bitmapAndnot(cpu, iommuBitmap, iommuBitmap, lazyBitmap, iommuPages);
        IommuHelper.bitmapZero(cpu, lazyBitmap, iommuPages);
    }

    /** {@code __dma_alloc_iommu}: no alignment, the device's segment boundary. */
    private long dmaAllocIommu(Cpu cpu, long start, int size) {
        return IommuHelper.iommuAreaAlloc(cpu, iommuBitmap, iommuPages, start, size, shift,
                boundaryPages, 0);
    }

    public long iommuPages() {
        return iommuPages;
    }

    public boolean strict() {
        return strict;
    }

    /** Where the next search starts. */
    public long nextBit() {
        return nextBit;
    }

    /** How often a search from {@code next_bit} failed and the allocator searched from 0. */
    public long wraps() {
        return wraps;
    }

    /** Pages set in the main bitmap: live plus lazily freed. */
    public long used() {
        return IommuHelper.bitmapWeight(iommuBitmap, iommuPages);
    }

    /** Pages freed lazily and not yet reclaimed; 0 in strict mode. */
    public long lazy() {
        return strict ? 0 : IommuHelper.bitmapWeight(lazyBitmap, iommuPages);
    }
}
