package org.iommulab.pgtable;

import org.iommulab.fault.FaultAttr;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * The page-table half of a paging domain that the VT-d and SMMUv3 domains share, as
 * {@code io_pgtable_ops} is shared by the Arm drivers: map, unmap (which clears the entries,
 * reports them unmapped and adds them to the gather unless a flush queue will invalidate them),
 * {@code iova_to_phys}, and what a device's access finds through a tagged IOTLB. The invalidations
 * themselves stay with each driver.
 */
public final class IoPgtable {

    /** What {@link #translate} returns when the device's access faults. */
    public static final long FAULT = -1L;
    public static final long PAGE_SIZE = 1L << IoPte.PAGE_SHIFT;
    /** 48-bit input addresses, all of them usable. */
    public static final DomainGeometry GEOMETRY =
            new DomainGeometry(0, ((RadixPageTable.MAX_PFN + 1) << IoPte.PAGE_SHIFT) - 1, true);

    private final RadixPageTable table;
    private final IommuTrace trace;
    private final boolean gathersEachPage;

    /**
     * @param tableAlloc what allocating and zeroing one table page costs on this IOMMU
     * @param trace where unmapped pages are reported
     * @param gathersEachPage io-pgtable-arm adds each leaf page to the gather on its own
     *     ({@code tlb_add_page}), so the driver invalidates at page granularity; the Intel driver
     *     adds the whole unmapped range once
     * @param allocFaults when allocating a table fails
     */
    public IoPgtable(Cost tableAlloc, IommuTrace trace, boolean gathersEachPage, FaultAttr allocFaults) {
        this.table = new RadixPageTable(tableAlloc, allocFaults);
        this.trace = trace;
        this.gathersEachPage = gathersEachPage;
    }

    /** {@code map_pages}: bytes mapped, or a negative errno. Only 4 KiB pages are offered. */
    public long mapPages(Cpu cpu, long iova, long paddr, long pgsize, long pgcount, int prot) {
        if (pgsize != PAGE_SIZE || ((iova | paddr) & (PAGE_SIZE - 1)) != 0 || pgcount < 1) {
            return -Errno.EINVAL;
        }
        long perms = ((prot & IommuProt.READ) != 0 ? IoPte.READ : 0) | ((prot & IommuProt.WRITE) != 0 ? IoPte.WRITE : 0);
        long pfn = iova >>> IoPte.PAGE_SHIFT;
        if (perms == 0 || pfn + pgcount - 1 > RadixPageTable.MAX_PFN || pfn + pgcount - 1 < pfn) {
            return -Errno.EINVAL;
        }
        int ret = table.map(cpu, pfn, paddr >>> IoPte.PAGE_SHIFT, pgcount, perms);
        return ret < 0 ? ret : pgsize * pgcount;
    }

    /**
     * {@code unmap_pages}: clears the entries and, unless the gather is queued, adds the range to
     * it ({@code tlb_add_page}), which may first sync what {@code domain} gathered before.
     */
    public long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather, IommuDomainOps domain) {
        long size = pgsize * pgcount;
        long pfn = iova >>> IoPte.PAGE_SHIFT;
        table.clear(cpu, pfn, size >>> IoPte.PAGE_SHIFT);
        trace.unmapped(cpu.nowNs(), pfn, size >>> IoPte.PAGE_SHIFT);
        if (gather.queued()) {
            return size;
        }
        if (gathersEachPage) {
            for (long i = 0; i < pgcount; i++) {
                gather.addPage(cpu, domain, iova + i * pgsize, pgsize);
            }
        } else {
            gather.addPage(cpu, domain, iova, size);
        }
        return size;
    }

    /** {@code iova_to_phys}: the physical address {@code iova} maps to, or 0. */
    public long iovaToPhys(long iova) {
        long pte = table.walk(iova >>> IoPte.PAGE_SHIFT);
        return IoPte.present(pte) ? (IoPte.pfn(pte) << IoPte.PAGE_SHIFT) | (iova & (PAGE_SIZE - 1)) : 0;
    }

    /**
     * A device's access to {@code iova} under {@code tag}: the physical address it reaches through
     * {@code tlb} or, on a miss, through the tables (caching the entry), or {@link #FAULT} when
     * nothing translates it with the needed permission.
     */
    public long translate(TaggedIotlb tlb, int tag, long iova, boolean write) {
        return access(lookup(tlb, tag, iova >>> IoPte.PAGE_SHIFT), iova, write);
    }

    /**
     * The entry for {@code pfn} as the hardware finds it: cached in {@code tlb} or, on a miss, read
     * from the tables and cached if present; 0 when nothing translates it.
     */
    public long lookup(TaggedIotlb tlb, int tag, long pfn) {
        long pte = tlb.lookup(tag, pfn);
        if (pte == 0) {
            long before = tlb.invalidations();
            pte = table.walk(pfn);
            if (!IoPte.present(pte)) {
                return 0;
            }
            tlb.fill(tag, pfn, pte, before);
        }
        return pte;
    }

    /** Where an access to {@code iova} through entry {@code pte} goes, or {@link #FAULT}. */
    public static long access(long pte, long iova, boolean write) {
        long needed = write ? IoPte.WRITE : IoPte.READ;
        if ((pte & needed) == 0) {
            return FAULT;
        }
        return (IoPte.pfn(pte) << IoPte.PAGE_SHIFT) | (iova & (PAGE_SIZE - 1));
    }

    /** The entry at {@code level} (1 = leaf, 4 = root's entry) on the walk to {@code iova}, or 0. */
    public long entry(long iova, int level) {
        if (level < 1 || level > RadixPageTable.LEVELS) {
            throw new IllegalArgumentException("level " + level + "; allowed 1..4");
        }
        return table.entry(iova >>> IoPte.PAGE_SHIFT, level);
    }

    /** The table itself, for a virtual IOMMU that walks it. */
    public RadixPageTable table() {
        return table;
    }
}
