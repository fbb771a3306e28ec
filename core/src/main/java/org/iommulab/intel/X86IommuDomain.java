package org.iommulab.intel;

import org.iommulab.fault.FaultKind;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.pgtable.IoPte;
import org.iommulab.pgtable.PgtableDomain;
import org.iommulab.pgtable.RadixPageTable;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * A paging domain of the x86 IOMMU ({@code struct dmar_domain}, drivers/iommu/intel/iommu.c,
 * v6.7): a domain id, a 4-level table and the invalidations the driver issues for it.
 *
 * <p>{@code iotlb_sync} is {@code intel_iommu_tlb_sync}: one page-selective invalidation whose
 * address mask covers the gathered range, widened to the smallest naturally aligned power of two
 * that contains it ({@code iommu_flush_iotlb_psi}), or a domain-selective one when that mask
 * exceeds MAMV. {@code flush_iotlb_all} is one domain-selective invalidation. Each is followed by a
 * wait descriptor. {@link #translate} is what the device sees: the IOTLB first, then a table walk
 * that fills the IOTLB.
 */
public final class X86IommuDomain extends PgtableDomain {

    private final X86Iommu iommu;
    private final int did;

    X86IommuDomain(X86Iommu iommu, int did) {
        super(Cost.X86_TABLE_ALLOC, iommu.tracker(), false, iommu.faults().attr(FaultKind.TABLE_ALLOC));
        this.iommu = iommu;
        this.did = did;
    }

    /** The kernel clears the context entry and flushes the domain's IOTLB entries ({@code domain_context_clear_one}). */
    @Override
    protected void dropCachedEntries() {
        iommu.iotlb().invalidateDomain(did);
    }

    @Override
    public void flushIotlbAll(Cpu cpu) {
        flushDomain(cpu);
    }

    /**
     * {@code __mapping_notify_one}: without caching mode the IOTLB holds no not-present entries,
     * so a new mapping needs no flush; in caching mode it gets a page-selective invalidation, the
     * only way the virtual IOMMU learns of it.
     */
    @Override
    public int iotlbSyncMap(Cpu cpu, long iova, long size) {
        if (iommu.config().cachingMode()) {
            long pfn = iova >>> IoPte.PAGE_SHIFT;
            flushIotlbPsi(cpu, pfn, ((iova + size - 1) >>> IoPte.PAGE_SHIFT) - pfn + 1);
        }
        return 0;
    }

    @Override
    public void iotlbSync(Cpu cpu, IotlbGather gather) {
        if (gather.isEmpty()) {
            return;
        }
        long startPfn = gather.start() >>> IoPte.PAGE_SHIFT;
        long pages = (gather.end() >>> IoPte.PAGE_SHIFT) - startPfn + 1;
        flushIotlbPsi(cpu, startPfn, pages);
    }

    /**
     * {@code iommu_flush_iotlb_psi}: the address mask of the smallest naturally aligned block of
     * pages that holds the range; a domain-selective flush when it is larger than MAMV.
     */
    private void flushIotlbPsi(Cpu cpu, long pfn, long pages) {
        long aligned = Long.highestOneBit(pages) == pages ? pages : Long.highestOneBit(pages) << 1;
        int mask = Long.numberOfTrailingZeros(aligned);
        if ((pfn & (aligned - 1)) != 0) {
            long shared = ~(pfn ^ (pfn + pages - 1)) & ~(aligned - 1);
            mask = shared != 0 ? Long.numberOfTrailingZeros(shared) : Long.SIZE;
        }
        if (mask > iommu.config().maxAddressMask()) {
            flushDomain(cpu);
            return;
        }
        InvDescriptor desc = InvDescriptor.psi(did, pfn << IoPte.PAGE_SHIFT, mask);
        iommu.qi().submitSync(cpu, desc);
        IommuTrace tracker = iommu.tracker();
        tracker.invalidated(cpu.nowNs(), desc.firstPfn(), desc.pages());
    }

    private void flushDomain(Cpu cpu) {
        iommu.qi().submitSync(cpu, InvDescriptor.dsi(did));
        IommuTrace tracker = iommu.tracker();
        tracker.invalidatedAll(cpu.nowNs());
    }

    RadixPageTable table() {
        return pgtable.table();
    }

    /**
     * A DMA by an attached device to {@code iova}: the physical address it reaches through the
     * IOTLB or, on a miss, through the tables (caching the entry), or {@link #FAULT} when nothing
     * translates it with the needed permission or no device is attached.
     */
    @Override
    public long translate(long iova, boolean write) {
        return attached() ? pgtable.translate(iommu.iotlb(), did, iova, write) : FAULT;
    }

    /** Translations by the unit's IOTLB that missed and walked the tables, all domains together. */
    @Override
    public long iotlbMisses() {
        return iommu.iotlb().misses();
    }

    /** Table pages in use, the root included. */
    public long tableCount() {
        return pgtable.table().tableCount();
    }

    /** The domain id tagging this domain's IOTLB entries and invalidations. */
    public int did() {
        return did;
    }
}
