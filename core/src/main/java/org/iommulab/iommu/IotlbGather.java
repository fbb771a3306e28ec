package org.iommulab.iommu;

import org.iommulab.sim.CachelineAligned;
import org.iommulab.sim.Cpu;

/**
 * {@code struct iommu_iotlb_gather} (include/linux/iommu.h): the range an unmap invalidated, which
 * the driver flushes in {@code iotlb_sync}. {@link #queued()} says the caller will free the IOVA
 * only after a flush queue's flush, so a driver may skip the per-unmap flush. dma-iommu keeps one
 * per CPU (the kernel's is on the stack), so its fields are cache-line aligned.
 */
public final class IotlbGather extends IotlbGatherFields {

    /** Trailing padding: see {@link CachelineAligned}. */
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    public IotlbGather() {
        init();
    }

    /** {@code iommu_iotlb_gather_init}: an empty range. */
    public void init() {
        start = -1L; // ULONG_MAX
        end = 0;
        pgsize = 0;
        queued = false;
    }

    /** {@code iommu_iotlb_gather_add_range}: widens the range to cover {@code [iova, iova+size)}. */
    public void addRange(long iova, long size) {
        long last = iova + size - 1;
        if (Long.compareUnsigned(iova, start) < 0) {
            start = iova;
        }
        if (Long.compareUnsigned(last, end) > 0) {
            end = last;
        }
    }

    /**
     * {@code iommu_iotlb_gather_add_page}: adds an unmapped range as drivers that invalidate by
     * range do, first syncing what is gathered through {@code domain} when the new range has
     * another page size or would leave a gap, so one invalidation never covers unrelated pages.
     */
    public void addPage(Cpu cpu, IommuDomainOps domain, long iova, long size) {
        if ((pgsize != 0 && pgsize != size) || isDisjoint(iova, size)) {
            domain.iotlbSync(cpu, this);
            init();
        }
        pgsize = size;
        addRange(iova, size);
    }

    /** {@code iommu_iotlb_gather_is_disjoint}: adding this range would span a gap. */
    public boolean isDisjoint(long iova, long size) {
        long last = iova + size - 1;
        return !isEmpty() && (Long.compareUnsigned(last + 1, start) < 0 || Long.compareUnsigned(iova, end + 1) > 0);
    }

    public boolean isEmpty() {
        return Long.compareUnsigned(start, end) > 0;
    }

    /** The first byte gathered. */
    public long start() {
        return start;
    }

    /** The last byte gathered, inclusive. */
    public long end() {
        return end;
    }

    public long pgsize() {
        return pgsize;
    }

    public void setPgsize(long pgsize) {
        this.pgsize = pgsize;
    }

    public boolean queued() {
        return queued;
    }

    public void setQueued(boolean queued) {
        this.queued = queued;
    }
}
