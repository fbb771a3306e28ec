package org.iommulab.ideal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The ideal IOMMU's page table: a radix tree indexed by granule-number bits, {@value #LEVEL_BITS}
 * bits a level, as io-pgtable's tables are (a 48-bit aperture of 4 KiB granules has three
 * directory levels above the leaves). A walk reads one entry a level: no hashing, no boxing, and
 * nothing allocated once the tables on the way exist. A missing table is installed with a
 * compare-and-set, so two CPUs filling the same empty range agree on one; tables are kept until
 * {@link #clearAll}.
 *
 * <p>A leaf entry holds the physical address with {@link #PRESENT} set, or 0; entries are written
 * with release and read with acquire semantics. Callers never map one granule from two CPUs at
 * once, as the IOVA allocator hands a range to one caller. With {@link PteLayout#SPACED} each
 * entry has 128 bytes (two cache lines, the pair an adjacent-line prefetcher pulls in) of its
 * own, so CPUs whose IOVAs interleave in one leaf never write the same lines;
 * {@link PteLayout#PACKED} is the hardware's layout, eight entries a line.
 */
final class IdealPageTable {

    static final int LEVEL_BITS = 9;
    static final int ENTRIES = 1 << LEVEL_BITS;
    /** Marks a present entry; physical addresses never have bit 63 set. */
    private static final long PRESENT = Long.MIN_VALUE;
    /** Longs in 128 bytes: the stride of a spaced leaf. */
    private static final int SPACED_STRIDE = 16;
    private static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle PTE = MethodHandles.arrayElementVarHandle(long[].class);

    /** Directory levels above the leaves. */
    private final int levels;
    /** Longs from one leaf entry to the next. */
    private final int stride;
    /** The top directory: {@code Object[]} of directories, or of {@code long[]} leaves at the last level. */
    private volatile Object[] root = new Object[ENTRIES];

    /** A table for granule numbers 0..{@code maxGfn} (unsigned). */
    IdealPageTable(long maxGfn, PteLayout layout) {
        int bits = 64 - Long.numberOfLeadingZeros(maxGfn);
        this.levels = Math.max(1, (bits - 1) / LEVEL_BITS);
        this.stride = layout == PteLayout.SPACED ? SPACED_STRIDE : 1;
    }

    /** Maps granule {@code gfn} to {@code phys}. */
    void set(long gfn, long phys) {
        PTE.setRelease(leaf(gfn, true), slot(gfn), phys | PRESENT);
    }

    /**
     * Unmaps granule {@code gfn}.
     *
     * @return whether it was mapped
     */
    boolean clear(long gfn) {
        long[] leaf = leaf(gfn, false);
        return leaf != null && (long) PTE.getAndSet(leaf, slot(gfn), 0L) != 0;
    }

    /** The physical address granule {@code gfn} maps to, or -1 when it is not mapped. */
    long get(long gfn) {
        long[] leaf = leaf(gfn, false);
        long entry = leaf == null ? 0 : (long) PTE.getAcquire(leaf, slot(gfn));
        return entry == 0 ? -1 : entry & ~PRESENT;
    }

    /** Granules mapped now; exact only while nobody maps or unmaps. */
    int size() {
        return count(root);
    }

    /** Unmaps everything and drops the tables. */
    void clearAll() {
        root = new Object[ENTRIES];
    }

    /** The leaf holding {@code gfn}, its missing tables installed if {@code create}, else maybe null. */
    private long[] leaf(long gfn, boolean create) {
        Object[] table = root;
        for (int level = levels; level > 0; level--) {
            int index = (int) (gfn >>> (level * LEVEL_BITS)) & (ENTRIES - 1);
            Object next = TABLE.getAcquire(table, index);
            if (next == null) {
                if (!create) {
                    return null;
                }
                Object fresh = level == 1 ? new long[ENTRIES * stride] : new Object[ENTRIES];
                Object witness = TABLE.compareAndExchange(table, index, null, fresh);
                next = witness == null ? fresh : witness;
            }
            if (level == 1) {
                return (long[]) next;
            }
            table = (Object[]) next;
        }
        throw new AssertionError("levels >= 1");
    }

    private int slot(long gfn) {
        return ((int) gfn & (ENTRIES - 1)) * stride;
    }

    private int count(Object[] table) {
        int n = 0;
        for (int i = 0; i < ENTRIES; i++) {
            Object next = TABLE.getAcquire(table, i);
            if (next instanceof long[] leaf) {
                for (int e = 0; e < leaf.length; e += stride) {
                    if ((long) PTE.getAcquire(leaf, e) != 0) {
                        n++;
                    }
                }
            } else if (next != null) {
                n += count((Object[]) next);
            }
        }
        return n;
    }
}
