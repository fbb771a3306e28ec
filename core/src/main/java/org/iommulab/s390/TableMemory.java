package org.iommulab.s390;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The guest-physical memory that holds DMA translation tables, standing in for the kernel's two
 * kmem_caches ({@code PCI_DMA_region_tables}, 16 KiB aligned; {@code PCI_DMA_page_tables}, 2 KiB
 * aligned). Each table gets a real address, so the origin field of an entry names the table it
 * points to and a hypervisor can follow it with 8-byte loads ({@link #load}), as QEMU's
 * {@code s390_guest_io_table_walk} reads guest memory.
 *
 * <p>Deliberate differences: addresses come from a bump allocator starting at {@link #BASE} and are
 * never reused; a frame holds only table entries (data pages are just numbers in the model); an
 * optional byte limit stands in for an allocation failure ({@code GFP_ATOMIC} returning NULL).
 * Thread-safe: lookups are lock-free, allocation is serialised (it is rare).
 */
public final class TableMemory {

    /** Where table frames start: above the 4 TiB any DMA address can use, so neither is mistaken for the other. */
    public static final long BASE = 1L << 44;

    private final ConcurrentHashMap<Long, AtomicLongArray> frames = new ConcurrentHashMap<>();
    private final long limitBytes;
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
        long bytes = (long) entries * PciDma.ZPCI_TABLE_ENTRY_SIZE;
        if (bytesInUse + bytes > limitBytes) {
            return 0;
        }
        long origin = (next + align - 1) & -align;
        next = origin + bytes;
        long[] filled = new long[entries];
        Arrays.fill(filled, fill);
        AtomicLongArray table = new AtomicLongArray(filled);
        // The put publishes the filled table before any entry pointing at it can be installed.
        frames.put(origin, table);
        bytesInUse += bytes;
        peakBytes = Math.max(peakBytes, bytesInUse);
        framesAllocated++;
        return origin;
    }

    /** Frees the table at {@code origin}. */
    public synchronized void free(long origin) {
        AtomicLongArray table = frames.remove(origin);
        if (table == null) {
            throw new IllegalStateException("no table at 0x" + Long.toHexString(origin));
        }
        bytesInUse -= (long) table.length() * PciDma.ZPCI_TABLE_ENTRY_SIZE;
    }

    /** The entries of the table at {@code origin}. */
    public AtomicLongArray table(long origin) {
        AtomicLongArray table = frames.get(origin);
        if (table == null) {
            throw new IllegalStateException("no table at 0x" + Long.toHexString(origin));
        }
        return table;
    }

    /** An 8-byte load from guest memory at {@code table origin + 8 x index}, with acquire ordering. */
    public long load(long origin, int index) {
        return table(origin).getAcquire(index);
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
