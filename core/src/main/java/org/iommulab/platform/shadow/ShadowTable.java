package org.iommulab.platform.shadow;

import static org.iommulab.s390.PciDma.PAGE_SHIFT;
import static org.iommulab.s390.PciDma.PAGE_SIZE;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.iommulab.platform.device.DmaTranslationSource;

/**
 * The hypervisor's shadow of one function's guest translations: QEMU's {@code iommu->iotlb} hash
 * of {@code S390IOTLBEntry} (hw/s390x/s390-pci-bus.h), one entry per 4 KiB IOVA page with the
 * translated address and the permission. In this model the host IOMMU holds exactly these
 * mappings, so the shadow is also what the device translates through.
 *
 * <p>An entry is one {@code long} in the form a device's IOTLB takes it
 * ({@link DmaTranslationSource#translation}): the page-aligned translated address, valid, and
 * writable unless the guest protected the page; {@link #ABSENT} (0) means not shadowed. Entries are
 * grouped by 1 MiB segment so the hypervisor can find the shadowed pages under an invalid region
 * or segment entry without touching every empty page; the hypervisor still charges one lookup per
 * page, as QEMU does them. Writers hold the hypervisor's global lock; readers (the device) may run
 * concurrently and see each entry atomically.
 */
public final class ShadowTable {

    /** No shadow entry for the page. */
    public static final long ABSENT = DmaTranslationSource.NO_TRANSLATION;

    private static final int SEGMENT_SHIFT = 20;
    private static final int PAGES_PER_SEGMENT = 1 << (SEGMENT_SHIFT - PAGE_SHIFT);

    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private long size;

    /** The entry for the page holding {@code iova}, or {@link #ABSENT}. */
    public long lookup(long iova) {
        Segment s = segments.get(iova >>> SEGMENT_SHIFT);
        return s == null ? ABSENT : s.entries.get(index(iova));
    }

    /** Sets the entry of the page holding {@code iova}; returns the previous one or {@link #ABSENT}. */
    public long put(long iova, long entry) {
        if (entry == ABSENT) {
            throw new IllegalArgumentException("put of an absent entry at 0x" + Long.toHexString(iova) + "; use remove");
        }
        Segment s = segments.computeIfAbsent(iova >>> SEGMENT_SHIFT, k -> new Segment());
        long old = s.entries.getAndSet(index(iova), entry);
        if (old == ABSENT) {
            s.count++;
            size++;
        }
        return old;
    }

    /** Drops the entry of the page holding {@code iova}; returns it, or {@link #ABSENT} if there was none. */
    public long remove(long iova) {
        long key = iova >>> SEGMENT_SHIFT;
        Segment s = segments.get(key);
        if (s == null) {
            return ABSENT;
        }
        long old = s.entries.getAndSet(index(iova), ABSENT);
        if (old != ABSENT) {
            size--;
            if (--s.count == 0) {
                segments.remove(key);
            }
        }
        return old;
    }

    /**
     * The page address of the first shadowed page at or above {@code iova} and below
     * {@code end} (exclusive), or -1 if there is none.
     */
    public long nextShadowed(long iova, long end) {
        long from = iova & ~(PAGE_SIZE - 1);
        for (Map.Entry<Long, Segment> e = segments.ceilingEntry(from >>> SEGMENT_SHIFT);
                e != null;
                e = segments.higherEntry(e.getKey())) {
            long base = e.getKey() << SEGMENT_SHIFT;
            if (Long.compareUnsigned(base, end) >= 0) {
                return -1;
            }
            for (int i = base < from ? index(from) : 0; i < PAGES_PER_SEGMENT; i++) {
                long page = base + ((long) i << PAGE_SHIFT);
                if (Long.compareUnsigned(page, end) >= 0) {
                    return -1;
                }
                if (e.getValue().entries.get(i) != ABSENT) {
                    return page;
                }
            }
        }
        return -1;
    }

    /** Drops every entry; returns how many there were. */
    public long clear() {
        long dropped = size;
        segments.clear();
        size = 0;
        return dropped;
    }

    /** The number of shadowed pages. */
    public long size() {
        return size;
    }

    private static int index(long iova) {
        return (int) (iova >>> PAGE_SHIFT) & (PAGES_PER_SEGMENT - 1);
    }

    /** The shadow entries of one 1 MiB segment; count changes only under the writers' lock. */
    private static final class Segment {
        final AtomicLongArray entries = new AtomicLongArray(PAGES_PER_SEGMENT);
        int count;
    }
}
