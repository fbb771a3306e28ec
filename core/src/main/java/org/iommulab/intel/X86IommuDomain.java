package org.iommulab.intel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.pgtable.IoPgtable;
import org.iommulab.pgtable.IoPte;
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
public final class X86IommuDomain implements IommuDomainOps {

    /** What {@link #translate} returns when the device's access faults. */
    public static final long FAULT = IoPgtable.FAULT;

    private final X86Iommu iommu;
    private final int did;
    private final IoPgtable pgtable;
    private final Set<Device> devices = ConcurrentHashMap.newKeySet();

    X86IommuDomain(X86Iommu iommu, int did) {
        this.iommu = iommu;
        this.did = did;
        this.pgtable = new IoPgtable(Cost.X86_TABLE_ALLOC, iommu.tracker(), false);
    }

    @Override
    public int attachDev(Device dev) {
        devices.add(dev);
        return 0;
    }

    /**
     * Detaches {@code dev}: its DMA faults from now on. The kernel clears the context entry and
     * flushes the domain's IOTLB entries ({@code domain_context_clear_one}); the model drops them
     * without charging any CPU, since detach is not on a measured path.
     */
    @Override
    public void detachDev(Device dev) {
        devices.remove(dev);
        iommu.iotlb().invalidateDomain(did);
    }

    @Override
    public long mapPages(Cpu cpu, long iova, long paddr, long pgsize, long pgcount, int prot) {
        return pgtable.mapPages(cpu, iova, paddr, pgsize, pgcount, prot);
    }

    @Override
    public long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather) {
        return pgtable.unmapPages(cpu, iova, pgsize, pgcount, gather, this);
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

    @Override
    public long iovaToPhys(long iova) {
        return pgtable.iovaToPhys(iova);
    }

    /**
     * A DMA by an attached device to {@code iova}: the physical address it reaches through the
     * IOTLB or, on a miss, through the tables (caching the entry), or {@link #FAULT} when nothing
     * translates it with the needed permission or no device is attached.
     */
    public long translate(long iova, boolean write) {
        return devices.isEmpty() ? FAULT : pgtable.translate(iommu.iotlb(), did, iova, write);
    }

    /** Translations by the unit's IOTLB that missed and walked the tables, all domains together. */
    public long iotlbMisses() {
        return iommu.iotlb().misses();
    }

    /** The entry at {@code level} (1 = leaf, 4 = root's entry) on the walk to {@code iova}, or 0. */
    public long tableEntry(long iova, int level) {
        return pgtable.entry(iova, level);
    }

    /** Table pages in use, the root included. */
    public long tableCount() {
        return pgtable.table().tableCount();
    }

    /** Memory the tables take, in bytes. */
    public long tableMemoryBytes() {
        return pgtable.table().memoryBytes();
    }

    /** The domain id tagging this domain's IOTLB entries and invalidations. */
    public int did() {
        return did;
    }

    @Override
    public DomainGeometry geometry() {
        return IoPgtable.GEOMETRY;
    }

    @Override
    public long pgsizeBitmap() {
        return IoPgtable.PAGE_SIZE;
    }

    /** Nothing left to do: detach already invalidated the domain, and its tables go with it. */
    @Override
    public void free() {}
}
