package org.iommulab.s390;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import org.iommulab.fault.FaultAttr;

/**
 * The guest-physical memory that holds DMA translation tables, standing in for the kernel's two
 * kmem_caches ({@code PCI_DMA_region_tables}, 16 KiB aligned; {@code PCI_DMA_page_tables}, 2 KiB
 * aligned). Each table gets a real address, so the origin field of an entry names the table it
 * points to and a hypervisor can follow it with 8-byte loads ({@link #load}), as QEMU's
 * {@code s390_guest_io_table_walk} reads guest memory.
 *
 * <p>Deliberate differences: addresses come from a bump allocator starting at {@link #BASE} and are
 * never reused; a frame holds only table entries (data pages are just numbers in the model); an
 * optional byte limit stands in for an allocation failure ({@code GFP_ATOMIC} returning NULL), and
 * injected faults ({@code --fault table-alloc}) fail atomic allocations only, as the kernel's
 * failslab does by default ({@code ignore-gfp-wait}).
 * Thread-safe: lookups are lock-free, allocation is serialised (it is rare).
 *
 * <p>Tables are found by origin through an array with one slot per 2 KiB of memory handed out (the
 * smallest alignment), so a lookup, which every table walk and every hypervisor load makes, is an
 * index and two acquire reads, without boxing or hashing. The array grows by copying under the
 * allocation lock and is published with a release store; a slot is set with release before its
 * origin is returned, so a walker that found the origin in an entry also finds the table.
 */
public final class TableMemory {

    /** Where table frames start: above the 4 TiB any DMA address can use, so neither is mistaken for the other. */
    public static final long BASE = 1L << 44;

    /** The smallest alignment a table may have: the page tables' 2 KiB; one slot per such grain. */
    private static final int GRAIN_SHIFT = Integer.numberOfTrailingZeros(PciDma.ZPCI_PT_ALIGN);
    private static final VarHandle SLOTS = findVarHandle();
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(AtomicLongArray[].class);

    /** The table whose origin is {@code BASE + (i << GRAIN_SHIFT)} at index i, or null; replaced when it grows. */
    private AtomicLongArray[] slots = new AtomicLongArray[64];
    private final long limitBytes;
    private final FaultAttr allocFaults;
    private long next = BASE;
    private long bytesInUse;
    private long peakBytes;
    private long framesAllocated;

    /** Memory without a limit. */
    public TableMemory() {
        this(Long.MAX_VALUE);
    }

    /** @param limitBytes allocation fails once this many bytes of tables are in use */
    public TableMemory(long limitBytes) {
        this(limitBytes, FaultAttr.NEVER);
    }

    /**
     * @param limitBytes allocation fails once this many bytes of tables are in use
     * @param allocFaults which atomic allocations fail besides
     */
    public TableMemory(long limitBytes, FaultAttr allocFaults) {
        this.allocFaults = allocFaults;
        if (limitBytes < 0) {
            throw new IllegalArgumentException("table memory limit " + limitBytes + " bytes; must be >= 0");
        }
        this.limitBytes = limitBytes;
    }

    /**
     * Allocates a table of {@code entries} 8-byte entries aligned to {@code align} bytes, every
     * entry set to {@code fill}.
     *
     * @return the table's origin address, or 0 when the limit is reached
     */
    public synchronized long alloc(int entries, int align, long fill) {
        if (align < PciDma.ZPCI_PT_ALIGN || Integer.bitCount(align) != 1) {
            throw new IllegalArgumentException("table alignment " + align + " bytes; must be a power of 2 >= "
                    + PciDma.ZPCI_PT_ALIGN);
        }
        long bytes = (long) entries * PciDma.ZPCI_TABLE_ENTRY_SIZE;
        if (bytesInUse + bytes > limitBytes) {
            return 0;
        }
        long origin = (next + align - 1) & -align;
        next = origin + bytes;
        long[] filled = new long[entries];
        Arrays.fill(filled, fill);
        AtomicLongArray table = new AtomicLongArray(filled);
        // The release store publishes the filled table before any entry pointing at it can be installed.
        SLOT.setRelease(grow(slot(origin)), slot(origin), table);
        bytesInUse += bytes;
        peakBytes = Math.max(peakBytes, bytesInUse);
        framesAllocated++;
        return origin;
    }

    /**
     * {@link #alloc} with {@code GFP_ATOMIC}, as the map path allocates lower tables: it also fails
     * when an injected fault says so.
     */
    public long allocAtomic(int entries, int align, long fill) {
        return allocFaults.shouldFail() ? 0 : alloc(entries, align, fill);
    }

    /** Frees the table at {@code origin}. */
    public synchronized void free(long origin) {
        AtomicLongArray table = table(origin);
        SLOT.setRelease(slotsAcquire(), slot(origin), (AtomicLongArray) null);
        bytesInUse -= (long) table.length() * PciDma.ZPCI_TABLE_ENTRY_SIZE;
    }

    /** The entries of the table at {@code origin}. */
    public AtomicLongArray table(long origin) {
        AtomicLongArray[] s = slotsAcquire();
        long i = (origin - BASE) >>> GRAIN_SHIFT;
        AtomicLongArray table = i < s.length && ((origin - BASE) & ((1 << GRAIN_SHIFT) - 1)) == 0
                ? (AtomicLongArray) SLOT.getAcquire(s, (int) i)
                : null;
        if (table == null) {
            throw new IllegalStateException("no table at 0x" + Long.toHexString(origin));
        }
        return table;
    }

    /** An 8-byte load from guest memory at {@code table origin + 8 x index}, with acquire ordering. */
    public long load(long origin, int index) {
        return table(origin).getAcquire(index);
    }

    /** The slot array, grown (under the allocation lock) so that it has index {@code i}. */
    private AtomicLongArray[] grow(int i) {
        AtomicLongArray[] s = slotsAcquire();
        if (i < s.length) {
            return s;
        }
        AtomicLongArray[] bigger = Arrays.copyOf(s, Math.max(i + 1, s.length * 2));
        SLOTS.setRelease(this, bigger);
        return bigger;
    }

    private AtomicLongArray[] slotsAcquire() {
        return (AtomicLongArray[]) SLOTS.getAcquire(this);
    }

    private static int slot(long origin) {
        return Math.toIntExact((origin - BASE) >>> GRAIN_SHIFT);
    }

    private static VarHandle findVarHandle() {
        try {
            return MethodHandles.lookup().findVarHandle(TableMemory.class, "slots", AtomicLongArray[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bytes of tables allocated and not freed. */
    public synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** The most bytes of tables in use at any one time. */
    public synchronized long peakBytes() {
        return peakBytes;
    }

    /** Tables allocated so far, including copies freed after losing an installation race. */
    public synchronized long framesAllocated() {
        return framesAllocated;
    }
}
