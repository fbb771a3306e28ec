package org.iommulab.pgtable;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.iommulab.fault.FaultAttr;
import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * A 4-level I/O translation table with 4 KiB pages: 512 entries per level, 48-bit input
 * addresses. Both VT-d's second-stage tables (drivers/iommu/intel/iommu.c, v6.7) and
 * io-pgtable-arm's 4 KiB-granule, 48-bit LPAE tables (drivers/iommu/io-pgtable-arm.c) have this
 * shape and behave alike in everything the model decides: lower tables are allocated on demand and
 * installed with a compare-and-set so CPUs racing for the same slot agree on one table
 * ({@code pfn_to_dma_pte}, {@code __arm_lpae_map}); leaf entries are set with a compare-and-set
 * from zero and cleared on unmap.
 *
 * <p>Differs from the kernel: a mapping over an entry that is already set fails with -EEXIST
 * instead of warning and going on, so a caller bug surfaces in tests; page-table pages emptied by
 * unmap are not freed (the kernel frees only tables an unmap covers entirely, which small DMA
 * unmaps never do); a table allocation fails only when {@code --fault table-alloc} says so; 2 MiB and 1 GiB pages are not modelled. Table pages are numbered serially,
 * since the model has no real memory.
 */
public final class RadixPageTable {

    public static final int LEVELS = 4;
    public static final int LEVEL_STRIDE = 9;
    public static final int ENTRIES = 1 << LEVEL_STRIDE;
    public static final int TABLE_BYTES = 4096;
    /** The highest pfn the table can translate: 48-bit addresses. */
    public static final long MAX_PFN = (1L << (LEVELS * LEVEL_STRIDE)) - 1;

    private final Cost tableAlloc;
    private final FaultAttr allocFaults;
    private final Table root;
    private final AtomicLong tables = new AtomicLong(1);
    private final AtomicLong nextTableFrame = new AtomicLong(1);

    /**
     * @param tableAlloc what allocating and zeroing one table page costs on this IOMMU
     * @param allocFaults when allocating a lower table fails ({@code GFP_ATOMIC} returning NULL)
     */
    public RadixPageTable(Cost tableAlloc, FaultAttr allocFaults) {
        this.tableAlloc = tableAlloc;
        this.allocFaults = allocFaults;
        root = new Table(LEVELS, nextTableFrame.getAndIncrement());
    }

    /** The index of {@code pfn} in a table of {@code level} (1 = leaf, 4 = root). */
    public static int levelIndex(long pfn, int level) {
        return (int) ((pfn >>> ((level - 1) * LEVEL_STRIDE)) & (ENTRIES - 1));
    }

    /**
     * Sets the leaf entries of {@code pages} pages from {@code iovaPfn} to {@code physPfn}
     * onwards.
     *
     * @return 0, or after undoing this call's entries -EEXIST when one was already set and -ENOMEM
     *     when a table could not be allocated
     */
    public int map(Cpu cpu, long iovaPfn, long physPfn, long pages, long perms) {
        for (long i = 0; i < pages; i++) {
            Table leaf = leafTable(cpu, iovaPfn + i);
            if (leaf == null) {
                clear(cpu, iovaPfn, i);
                return -Errno.ENOMEM;
            }
            int idx = levelIndex(iovaPfn + i, 1);
            cpu.spend(Cost.PTE_WRITE);
            if (!leaf.ptes.compareAndSet(idx, 0L, IoPte.make(physPfn + i, perms))) {
                clear(cpu, iovaPfn, i);
                return -Errno.EEXIST;
            }
        }
        return 0;
    }

    /** Clears the leaf entries of {@code pages} pages from {@code iovaPfn}; returns how many were set. */
    public long clear(Cpu cpu, long iovaPfn, long pages) {
        long cleared = 0;
        for (long i = 0; i < pages; i++) {
            Table leaf = existingLeaf(iovaPfn + i);
            if (leaf == null) {
                continue;
            }
            int idx = levelIndex(iovaPfn + i, 1);
            if (leaf.ptes.get(idx) != 0) {
                cpu.spend(Cost.PTE_WRITE);
                if (IoPte.present(leaf.ptes.getAndSet(idx, 0L))) {
                    cleared++;
                }
            }
        }
        return cleared;
    }

    /** The leaf entry for {@code pfn}, or 0 when no table or entry translates it. */
    public long walk(long pfn) {
        Table leaf = existingLeaf(pfn);
        return leaf == null ? 0 : leaf.ptes.get(levelIndex(pfn, 1));
    }

    /** The entry at {@code level} on the way to {@code pfn} (level 1 is the leaf), or 0. */
    public long entry(long pfn, int level) {
        Table t = root;
        for (int l = LEVELS; l > level; l--) {
            t = t.children.get(levelIndex(pfn, l));
            if (t == null) {
                return 0;
            }
        }
        if (level == 1) {
            return t.ptes.get(levelIndex(pfn, 1));
        }
        Table child = t.children.get(levelIndex(pfn, level));
        return child == null ? 0 : IoPte.make(child.frame, IoPte.READ | IoPte.WRITE);
    }

    /** What a walk over a range finds at the leaf level of the tables that exist. */
    @FunctionalInterface
    public interface LeafVisitor {
        void leaf(long pfn, long pte);
    }

    /**
     * Walks {@code [firstPfn, lastPfn]} as a page walk over a range reads the tables: every entry in
     * the range of every table reached, descending only into present entries; each leaf entry read
     * goes to {@code visitor}, present or not.
     *
     * @return the table entries read, all levels together
     */
    public long walkRange(long firstPfn, long lastPfn, LeafVisitor visitor) {
        return walk(root, LEVELS, 0, firstPfn, lastPfn, visitor);
    }

    private static long walk(Table t, int level, long base, long first, long last, LeafVisitor visitor) {
        int shift = (level - 1) * LEVEL_STRIDE;
        long span = 1L << shift;
        long lo = Math.max(first, base);
        long hi = Math.min(last, base + ENTRIES * span - 1);
        long read = 0;
        for (int idx = (int) ((lo - base) >>> shift); idx <= (int) ((hi - base) >>> shift); idx++) {
            read++;
            long entryBase = base + idx * span;
            if (level == 1) {
                visitor.leaf(entryBase, t.ptes.get(idx));
            } else {
                Table child = t.children.get(idx);
                if (child != null) {
                    read += walk(child, level - 1, entryBase, first, last, visitor);
                }
            }
        }
        return read;
    }

    /** Table pages in use, the root included. */
    public long tableCount() {
        return tables.get();
    }

    /** Memory the tables take, in bytes. */
    public long memoryBytes() {
        return tables.get() * TABLE_BYTES;
    }

    /** The leaf table for {@code pfn}, allocating the tables on the way, or null when an allocation failed. */
    private Table leafTable(Cpu cpu, long pfn) {
        Table t = root;
        for (int level = LEVELS; level > 1; level--) {
            int idx = levelIndex(pfn, level);
            Table next = t.children.get(idx);
            if (next == null) {
                if (allocFaults.shouldFail()) {
                    return null; // a failed allocation is charged nothing, as on s390
                }
                cpu.spend(tableAlloc);
                Table fresh = new Table(level - 1, nextTableFrame.getAndIncrement());
                cpu.spend(Cost.TABLE_INSTALL);
                if (t.children.compareAndSet(idx, null, fresh)) {
                    tables.incrementAndGet();
                    next = fresh;
                } else {
                    next = t.children.get(idx); // another CPU won: its table stays, ours is dropped
                }
            }
            t = next;
        }
        return t;
    }

    private Table existingLeaf(long pfn) {
        Table t = root;
        for (int level = LEVELS; level > 1 && t != null; level--) {
            t = t.children.get(levelIndex(pfn, level));
        }
        return t;
    }

    /** One 4 KiB table page: child tables above the leaf level, entries at the leaf level. */
    private static final class Table {
        final long frame;
        final AtomicReferenceArray<Table> children;
        final AtomicLongArray ptes;

        Table(int level, long frame) {
            this.frame = frame;
            this.children = level > 1 ? new AtomicReferenceArray<>(ENTRIES) : null;
            this.ptes = level == 1 ? new AtomicLongArray(ENTRIES) : null;
        }
    }
}
