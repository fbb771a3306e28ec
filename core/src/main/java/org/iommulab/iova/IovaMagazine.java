package org.iommulab.iova;

import org.iommulab.sim.CachelineAligned;

/**
 * {@code struct iova_magazine} (drivers/iommu/iova.c, v6.7): a stack of up to
 * {@value #IOVA_MAG_SIZE} cached pfns of one size class, so that the whole magazine is 1 KiB in
 * the kernel. Magazines in a depot are linked through {@link #next}; in the kernel {@code next}
 * shares a union with {@code size}, which is why a magazine popped from the depot is always full.
 * Here both are fields and depot magazines simply keep their size of {@value #IOVA_MAG_SIZE}.
 *
 * <p>Guarded by the lock of whoever holds it: a CPU's rcache lock or the depot lock. Its size is
 * written on every allocation and free, so its fields are cache-line aligned.
 */
final class IovaMagazine extends IovaMagazineFields {

    /** {@code IOVA_MAG_SIZE}: 127 pfns plus the size word make 1 KiB on 64-bit. */
    static final int IOVA_MAG_SIZE = 127;

    /** Trailing padding: see {@link CachelineAligned}. */
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    int size() {
        return size;
    }

    boolean full() {
        return size == IOVA_MAG_SIZE;
    }

    boolean empty() {
        return size == 0;
    }

    void push(long pfn) {
        pfns[size++] = pfn;
    }

    /**
     * {@code iova_magazine_pop}: takes the highest-slot pfn that is at most {@code limitPfn}
     * (compared unsigned, as the kernel's {@code limit_pfn - size} may have wrapped), filling its
     * slot with the last one. Only called on a non-empty magazine.
     *
     * @return the pfn, or 0 when no cached pfn lies below the limit
     */
    long pop(long limitPfn) {
        int i = size - 1;
        while (Long.compareUnsigned(pfns[i], limitPfn) > 0) {
            if (i == 0) {
                return 0;
            }
            i--;
        }
        long pfn = pfns[i];
        pfns[i] = pfns[--size];
        return pfn;
    }

    /** The pfn in slot {@code i}, {@code 0 <= i < size()}. */
    long pfn(int i) {
        return pfns[i];
    }

    /** Empties the magazine once its pfns have been returned to the tree. */
    void clear() {
        size = 0;
    }
}
