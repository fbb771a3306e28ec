package org.iommulab.platform.shadow;

import static org.iommulab.s390.PciDma.PAGE_SHIFT;
import static org.iommulab.s390.PciDma.PAGE_SIZE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
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
 *
 * <p>Layout: a directory of 2 GiB regions (grown on demand), each an array of its 2048 segments,
 * each segment an array of its 256 entries, so a lookup is three indexed acquire reads and no
 * boxing. A new segment or region, or a grown directory, is published with a release store after
 * it is filled. Occupancy bitmaps, touched only by writers, let {@link #nextShadowed} jump over
 * empty segments and pages.
 */
public final class ShadowTable {

    /** No shadow entry for the page. */
    public static final long ABSENT = DmaTranslationSource.NO_TRANSLATION;

    private static final int SEGMENT_SHIFT = 20;
    private static final int REGION_SHIFT = 31;
    private static final int PAGES_PER_SEGMENT = 1 << (SEGMENT_SHIFT - PAGE_SHIFT);
    private static final int SEGMENTS_PER_REGION = 1 << (REGION_SHIFT - SEGMENT_SHIFT);
    /** The directory covers at most 2^20 regions (2 PiB of IOVA), far beyond any table's 4 TiB. */
    private static final long MAX_REGIONS = 1L << 20;
    private static final VarHandle DIRECTORY = directoryHandle();
    private static final VarHandle REGION = MethodHandles.arrayElementVarHandle(Region[].class);
    private static final VarHandle SEGMENT = MethodHandles.arrayElementVarHandle(Segment[].class);

    /** Regions by IOVA >>> 31, null where nothing was ever shadowed; read and replaced through DIRECTORY. */
    private Region[] directory = new Region[0];
    private long size;

    /** The entry for the page holding {@code iova}, or {@link #ABSENT}. */
    public long lookup(long iova) {
        Region[] dir = (Region[]) DIRECTORY.getAcquire(this);
        long rx = iova >>> REGION_SHIFT;
        if (rx >= dir.length) {
            return ABSENT;
        }
        Region r = (Region) REGION.getAcquire(dir, (int) rx);
        if (r == null) {
            return ABSENT;
        }
        Segment s = (Segment) SEGMENT.getAcquire(r.segments, segmentIndex(iova));
        return s == null ? ABSENT : s.entries.get(index(iova));
    }

    /** Sets the entry of the page holding {@code iova}; returns the previous one or {@link #ABSENT}. */
    public long put(long iova, long entry) {
        if (entry == ABSENT) {
            throw new IllegalArgumentException("put of an absent entry at 0x" + Long.toHexString(iova) + "; use remove");
        }
        Region r = region(iova);
        int sx = segmentIndex(iova);
        Segment s = r.segments[sx];
        if (s == null) {
            s = new Segment();
            SEGMENT.setRelease(r.segments, sx, s);
            r.occupied[sx >>> 6] |= 1L << sx;
        }
        int i = index(iova);
        long old = s.entries.getAndSet(i, entry);
        if (old == ABSENT) {
            s.count++;
            s.present[i >>> 6] |= 1L << i;
            size++;
        }
        return old;
    }

    /** Drops the entry of the page holding {@code iova}; returns it, or {@link #ABSENT} if there was none. */
    public long remove(long iova) {
        long rx = iova >>> REGION_SHIFT;
        if (rx >= directory.length || directory[(int) rx] == null) {
            return ABSENT;
        }
        Region r = directory[(int) rx];
        int sx = segmentIndex(iova);
        Segment s = r.segments[sx];
        if (s == null) {
            return ABSENT;
        }
        int i = index(iova);
        long old = s.entries.getAndSet(i, ABSENT);
        if (old != ABSENT) {
            size--;
            s.present[i >>> 6] &= ~(1L << i);
            if (--s.count == 0) {
                SEGMENT.setRelease(r.segments, sx, (Segment) null);
                r.occupied[sx >>> 6] &= ~(1L << sx);
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
        for (long rx = from >>> REGION_SHIFT; rx < directory.length; rx++) {
            long regionBase = rx << REGION_SHIFT;
            if (Long.compareUnsigned(regionBase, end) >= 0) {
                return -1;
            }
            Region r = directory[(int) rx];
            if (r == null) {
                continue;
            }
            int sx = regionBase < from ? segmentIndex(from) : 0;
            for (sx = nextSet(r.occupied, sx); sx >= 0; sx = nextSet(r.occupied, sx + 1)) {
                long base = regionBase + ((long) sx << SEGMENT_SHIFT);
                if (Long.compareUnsigned(base, end) >= 0) {
                    return -1;
                }
                int i = nextSet(r.segments[sx].present, base < from ? index(from) : 0);
                if (i >= 0) {
                    long page = base + ((long) i << PAGE_SHIFT);
                    return Long.compareUnsigned(page, end) < 0 ? page : -1;
                }
            }
        }
        return -1;
    }

    /** Drops every entry; returns how many there were. */
    public long clear() {
        long dropped = size;
        DIRECTORY.setRelease(this, new Region[0]);
        size = 0;
        return dropped;
    }

    /** The number of shadowed pages. */
    public long size() {
        return size;
    }

    /** The region holding {@code iova}, created (and the directory grown) if needed. */
    private Region region(long iova) {
        long rx = iova >>> REGION_SHIFT;
        if (rx >= MAX_REGIONS) {
            throw new IllegalArgumentException("shadow entry at 0x" + Long.toHexString(iova) + "; IOVAs end at 0x"
                    + Long.toHexString(MAX_REGIONS << REGION_SHIFT));
        }
        Region[] dir = directory;
        if (rx >= dir.length) {
            dir = Arrays.copyOf(dir, (int) rx + 1);
            DIRECTORY.setRelease(this, dir);
        }
        Region r = dir[(int) rx];
        if (r == null) {
            r = new Region();
            REGION.setRelease(dir, (int) rx, r);
        }
        return r;
    }

    /** The first set bit at or above {@code from} in {@code bits}, or -1. */
    private static int nextSet(long[] bits, int from) {
        int w = from >>> 6;
        if (w >= bits.length) {
            return -1;
        }
        long word = bits[w] & (-1L << from);
        while (word == 0) {
            if (++w == bits.length) {
                return -1;
            }
            word = bits[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(word);
    }

    private static int segmentIndex(long iova) {
        return (int) (iova >>> SEGMENT_SHIFT) & (SEGMENTS_PER_REGION - 1);
    }

    private static int index(long iova) {
        return (int) (iova >>> PAGE_SHIFT) & (PAGES_PER_SEGMENT - 1);
    }

    private static VarHandle directoryHandle() {
        try {
            return MethodHandles.lookup().findVarHandle(ShadowTable.class, "directory", Region[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The segments of one 2 GiB region; {@code occupied} marks the non-null ones, for writers only. */
    private static final class Region {
        final Segment[] segments = new Segment[SEGMENTS_PER_REGION];
        final long[] occupied = new long[SEGMENTS_PER_REGION / Long.SIZE];
    }

    /** The shadow entries of one 1 MiB segment; count and {@code present} change only under the writers' lock. */
    private static final class Segment {
        final AtomicLongArray entries = new AtomicLongArray(PAGES_PER_SEGMENT);
        final long[] present = new long[PAGES_PER_SEGMENT / Long.SIZE];
        int count;
    }
}
