package org.iommulab.platform.shadow;

/**
 * Splits a range into the largest naturally aligned power-of-two pieces, as QEMU's
 * {@code dma_aligned_pow2_mask} (system/dma-helpers.c) does for {@code s390_pci_batch_unmap}.
 */
final class Pow2Chunks {

    private Pow2Chunks() {}

    /**
     * The size of the first piece of {@code [start, end)}: the largest power of two that
     * {@code start} is aligned to and that fits before {@code end}.
     */
    static long firstChunk(long start, long end) {
        long remaining = end - start;
        if (remaining <= 0) {
            throw new IllegalArgumentException("empty range [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ")");
        }
        long fit = Long.highestOneBit(remaining);
        return start == 0 ? fit : Math.min(Long.lowestOneBit(start), fit);
    }
}
