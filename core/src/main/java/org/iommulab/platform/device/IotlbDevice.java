package org.iommulab.platform.device;

import org.iommulab.kernel.DeviceTranslation;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PCI device that reaches memory through an IOTLB: each DMA address is translated from the
 * IOTLB, or on a miss from its {@link DmaTranslationSource}, whose answer the IOTLB then caches.
 * Tests and invariant checkers use {@link #translate} to see exactly which pages the device can
 * reach. The platform's flushes call {@link #invalidate}.
 *
 * <p>Device time for a miss ({@code device.iotlbMissNs}) is not spent here, since the device is
 * not a CPU; {@link #misses} counts the walks for the workload's device model to price.
 */
public final class IotlbDevice implements DeviceTranslation {

    /** {@link #translate} result: the page has no translation. */
    public static final long FAULT_UNMAPPED = -1;
    /** {@link #translate} result: a write to a read-only page. */
    public static final long FAULT_PROTECTION = -2;

    private static final int PAGE_SHIFT = 12;

    private final String name;
    private final DmaTranslationSource source;
    private final Iotlb iotlb;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();

    public IotlbDevice(String name, DmaTranslationSource source, int iotlbEntries) {
        this.name = name;
        this.source = source;
        this.iotlb = new Iotlb(iotlbEntries);
    }

    /**
     * A DMA access to {@code iova}.
     *
     * @return the physical address reached, or {@link #FAULT_UNMAPPED} / {@link #FAULT_PROTECTION}
     */
    @Override
    public long translate(long iova, boolean write) {
        long pfn = iova >>> PAGE_SHIFT;
        long t = iotlb.lookup(pfn);
        if (t == DmaTranslationSource.NO_TRANSLATION) {
            long before = iotlb.invalidations();
            t = source.lookup(iova);
            misses.incrementAndGet();
            if (t == DmaTranslationSource.NO_TRANSLATION) {
                faults.incrementAndGet();
                return FAULT_UNMAPPED;
            }
            iotlb.fill(pfn, t, before);
        } else {
            hits.incrementAndGet();
        }
        if (write && (t & DmaTranslationSource.WRITABLE) == 0) {
            faults.incrementAndGet();
            return FAULT_PROTECTION;
        }
        return (t & DmaTranslationSource.FRAME_MASK) | (iova & ~DmaTranslationSource.FRAME_MASK);
    }

    /** Drops the IOTLB entries of {@code [iova, iova + length)}. */
    public void invalidate(long iova, long length) {
        long first = iova >>> PAGE_SHIFT;
        long last = (iova + length - 1) >>> PAGE_SHIFT;
        iotlb.invalidate(first, last - first + 1);
    }

    /** Drops every IOTLB entry. */
    public void invalidateAll() {
        iotlb.invalidateAll();
    }

    public String name() {
        return name;
    }

    public Iotlb iotlb() {
        return iotlb;
    }

    public long hits() {
        return hits.get();
    }

    /** Translations walked from the source. */
    public long misses() {
        return misses.get();
    }

    @Override
    public long iotlbMisses() {
        return misses();
    }

    /** Accesses that faulted, unmapped or protected. */
    public long faults() {
        return faults.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
