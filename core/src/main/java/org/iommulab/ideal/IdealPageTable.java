package org.iommulab.ideal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The ideal IOMMU's page table: granule number to physical address, in leaves of
 * {@value #LEAF_ENTRIES} entries found through a concurrent map of leaf numbers. A leaf is created
 * on first use and kept until {@link #clearAll}. Each CPU remembers the leaf it used last, so
 * mapping and unmapping a granule in that leaf neither allocates nor looks in the map: the
 * map+unmap benchmarks of the DMA layer measure dma-iommu, not boxing in the test driver (a
 * map of boxed granules cost about 100 bytes and a third of the time of each map+unmap).
 *
 * <p>An entry holds the physical address with {@link #PRESENT} set, or 0. Entries are written
 * with release and read with acquire semantics; callers never map one granule from two CPUs at
 * once, as the IOVA allocator hands a range to one caller.
 */
final class IdealPageTable {

    static final int LEAF_SHIFT = 9;
    static final int LEAF_ENTRIES = 1 << LEAF_SHIFT;
    /** Marks a present entry; physical addresses never have bit 63 set. */
    private static final long PRESENT = Long.MIN_VALUE;

    /** Slots of the per-CPU hints; CPUs whose numbers differ by a multiple share one. */
    private static final int HINTS = 64;

    /** A leaf and its number; immutable, so a hint can be read and replaced without a lock. */
    private record Leaf(long index, AtomicLongArray entries) {
    }

    private final ConcurrentHashMap<Long, AtomicLongArray> leaves = new ConcurrentHashMap<>();
    /** Per CPU, the leaf it used last, or null; a stale or foreign hint only misses. */
    private final Leaf[] hints = new Leaf[HINTS];

    /** Maps granule {@code gfn} to {@code phys}, on CPU {@code cpuId}. */
    void set(int cpuId, long gfn, long phys) {
        leaf(cpuId, gfn, true).setRelease(slot(gfn), phys | PRESENT);
    }

    /**
     * Unmaps granule {@code gfn}, on CPU {@code cpuId}.
     *
     * @return whether it was mapped
     */
    boolean clear(int cpuId, long gfn) {
        AtomicLongArray leaf = leaf(cpuId, gfn, false);
        return leaf != null && leaf.getAndSet(slot(gfn), 0) != 0;
    }

    /** The physical address granule {@code gfn} maps to, or -1 when it is not mapped. */
    long get(long gfn) {
        AtomicLongArray leaf = leaves.get(gfn >>> LEAF_SHIFT);
        long entry = leaf == null ? 0 : leaf.getAcquire(slot(gfn));
        return entry == 0 ? -1 : entry & ~PRESENT;
    }

    /** Granules mapped now; exact only while nobody maps or unmaps. */
    int size() {
        int n = 0;
        for (AtomicLongArray leaf : leaves.values()) {
            for (int i = 0; i < LEAF_ENTRIES; i++) {
                if (leaf.getAcquire(i) != 0) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Unmaps everything and drops the leaves. */
    void clearAll() {
        leaves.clear();
        Arrays.fill(hints, null);
    }

    /** The leaf of {@code gfn}, through the CPU's hint first; created if {@code create}, else maybe null. */
    private AtomicLongArray leaf(int cpuId, long gfn, boolean create) {
        long index = gfn >>> LEAF_SHIFT;
        int h = cpuId & (HINTS - 1);
        Leaf hint = hints[h];
        if (hint != null && hint.index() == index) {
            return hint.entries();
        }
        AtomicLongArray leaf = leaves.get(index);
        if (leaf == null) {
            if (!create) {
                return null;
            }
            leaf = leaves.computeIfAbsent(index, i -> new AtomicLongArray(LEAF_ENTRIES));
        }
        hints[h] = new Leaf(index, leaf);
        return leaf;
    }

    private static int slot(long gfn) {
        return (int) (gfn & (LEAF_ENTRIES - 1));
    }
}
