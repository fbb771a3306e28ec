package org.iommulab.s390.legacy;

import java.util.Arrays;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * The bitmap area allocator the old s390 DMA API used: {@code iommu_area_alloc()} from
 * lib/iommu-helper.c with the pieces of lib/bitmap.c and lib/find_bit.c it needs (find next set or
 * clear bit, find a clear area with alignment, set, clear, andnot, zero), over a {@code long[]}
 * bitmap with 64 bits per word and bit {@code i} in word {@code i / 64}, bit {@code i % 64}, as a
 * 64-bit kernel lays it out.
 *
 * <p>Every 64-bit word a search loads or an update rewrites is charged as one
 * {@link Cost#LEGACY_BITMAP_WORD} on the calling CPU. Deliberate difference: the kernel spins
 * forever when an area is larger than the segment boundary (it re-aligns to where it already
 * is); here such a request fails.
 */
public final class IommuHelper {

    /** What {@link #iommuAreaAlloc} returns when no area fits ({@code -1UL}). */
    public static final long NO_AREA = -1L;

    private static final int BITS_PER_WORD = 64;

    private IommuHelper() {}

    /**
     * {@code iommu_area_alloc}: finds {@code nr} clear bits in {@code map} at or after
     * {@code start}, ending no later than {@code size - 1} (the last bit is never handed out),
     * starting at a multiple of {@code alignMask + 1} and not straddling a boundary of
     * {@code boundarySize} bits counted from {@code -shift}; marks them and returns the first.
     *
     * @param shift the bit number of bit 0 in boundary terms ({@code start_dma >> PAGE_SHIFT})
     * @param boundarySize the segment boundary in bits, a power of two
     * @return the first bit of the area, or {@link #NO_AREA}; the search never wraps
     */
    public static long iommuAreaAlloc(Cpu cpu, long[] map, long size, long start, int nr,
            long shift, long boundarySize, long alignMask) {
        if (nr < 1) {
            throw new IllegalArgumentException("area of " + nr + " bits; allowed at least 1");
        }
        if (Long.bitCount(boundarySize) != 1) {
            throw new IllegalArgumentException("boundary of " + boundarySize + " bits; must be a power of two");
        }
        if (nr > boundarySize) {
            return NO_AREA;
        }
        long limit = size - 1;
        long from = start;
        while (true) {
            long index = bitmapFindNextZeroAreaOff(cpu, map, limit, from, nr, alignMask, 0);
            if (index >= limit) {
                return NO_AREA;
            }
            if (!iommuIsSpanBoundary(index, nr, shift, boundarySize)) {
                bitmapSet(cpu, map, index, nr);
                return index;
            }
            from = alignUp(shift + index, boundarySize) - shift;
        }
    }

    /** {@code iommu_is_span_boundary}: whether bits {@code index .. index+nr-1} cross a boundary. */
    static boolean iommuIsSpanBoundary(long index, int nr, long shift, long boundarySize) {
        long inSegment = (shift + index) & (boundarySize - 1);
        return inSegment + nr > boundarySize;
    }

    /**
     * {@code bitmap_find_next_zero_area_off}: the first index at or after {@code start} such that
     * {@code index + alignOffset} is a multiple of {@code alignMask + 1} and bits
     * {@code index .. index+nr-1} are clear, all below {@code size}.
     *
     * @return that index, or a value greater than {@code size - nr} when none fits (the end the
     *     failing candidate would have had)
     */
    public static long bitmapFindNextZeroAreaOff(Cpu cpu, long[] map, long size, long start, int nr,
            long alignMask, long alignOffset) {
        long from = start;
        while (true) {
            long index = findNextZeroBit(cpu, map, size, from);
            index = ((index + alignOffset + alignMask) & ~alignMask) - alignOffset;
            long end = index + nr;
            if (end > size) {
                return end;
            }
            long busy = findNextBit(cpu, map, end, index);
            if (busy >= end) {
                return index;
            }
            from = busy + 1;
        }
    }

    /** {@code find_next_bit}: the first set bit in {@code [start, size)}, or {@code size}. */
    public static long findNextBit(Cpu cpu, long[] map, long size, long start) {
        return findNext(cpu, map, size, start, 0L);
    }

    /** {@code find_next_zero_bit}: the first clear bit in {@code [start, size)}, or {@code size}. */
    public static long findNextZeroBit(Cpu cpu, long[] map, long size, long start) {
        return findNext(cpu, map, size, start, -1L);
    }

    /** Scans words from {@code start}'s word, each XORed with {@code invert}, for a set bit. */
    private static long findNext(Cpu cpu, long[] map, long size, long start, long invert) {
        if (start >= size) {
            return size;
        }
        int word = (int) (start / BITS_PER_WORD);
        long bits = (map[word] ^ invert) & (-1L << (start % BITS_PER_WORD));
        long words = 1;
        while (bits == 0) {
            word++;
            if ((long) word * BITS_PER_WORD >= size) {
                cpu.spend(Cost.LEGACY_BITMAP_WORD, words);
                return size;
            }
            bits = map[word] ^ invert;
            words++;
        }
        cpu.spend(Cost.LEGACY_BITMAP_WORD, words);
        return Math.min((long) word * BITS_PER_WORD + Long.numberOfTrailingZeros(bits), size);
    }

    /** {@code bitmap_set}: sets bits {@code start .. start+len-1}. */
    public static void bitmapSet(Cpu cpu, long[] map, long start, long len) {
        update(cpu, map, start, len, true);
    }

    /** {@code bitmap_clear}: clears bits {@code start .. start+len-1}. */
    public static void bitmapClear(Cpu cpu, long[] map, long start, long len) {
        update(cpu, map, start, len, false);
    }

    private static void update(Cpu cpu, long[] map, long start, long len, boolean set) {
        if (len <= 0) {
            return;
        }
        long end = start + len;
        int first = (int) (start / BITS_PER_WORD);
        int last = (int) ((end - 1) / BITS_PER_WORD);
        for (int w = first; w <= last; w++) {
            long mask = -1L;
            if (w == first) {
                mask &= -1L << (start % BITS_PER_WORD);
            }
            if (w == last) {
                mask &= -1L >>> (BITS_PER_WORD - 1 - (end - 1) % BITS_PER_WORD);
            }
            map[w] = set ? map[w] | mask : map[w] & ~mask;
        }
        cpu.spend(Cost.LEGACY_BITMAP_WORD, last - first + 1L);
    }

    /** {@code bitmap_andnot}: {@code dst = src1 & ~src2} over the first {@code nbits} bits. */
    public static void bitmapAndnot(Cpu cpu, long[] dst, long[] src1, long[] src2, long nbits) {
        int words = wordsFor(nbits);
        for (int w = 0; w < words; w++) {
            dst[w] = src1[w] & ~src2[w];
        }
        cpu.spend(Cost.LEGACY_BITMAP_WORD, words);
    }

    /** {@code bitmap_zero}: clears the first {@code nbits} bits (whole words, as the kernel does). */
    public static void bitmapZero(Cpu cpu, long[] map, long nbits) {
        int words = wordsFor(nbits);
        Arrays.fill(map, 0, words, 0L);
        cpu.spend(Cost.LEGACY_BITMAP_WORD, words);
    }

    /** {@code bitmap_weight}: the number of set bits among the first {@code nbits}; free of cost. */
    public static long bitmapWeight(long[] map, long nbits) {
        long count = 0;
        int full = (int) (nbits / BITS_PER_WORD);
        for (int w = 0; w < full; w++) {
            count += Long.bitCount(map[w]);
        }
        if (nbits % BITS_PER_WORD != 0) {
            count += Long.bitCount(map[full] & ((1L << (nbits % BITS_PER_WORD)) - 1));
        }
        return count;
    }

    /** {@code BITS_TO_LONGS}: the words a bitmap of {@code nbits} bits needs. */
    public static int wordsFor(long nbits) {
        return (int) ((nbits + BITS_PER_WORD - 1) / BITS_PER_WORD);
    }

    private static long alignUp(long value, long power) {
        return (value + power - 1) & -power;
    }
}
