package org.iommulab.arm;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.fault.FaultKind;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.pgtable.IoPgtable;
import org.iommulab.pgtable.IoPte;
import org.iommulab.pgtable.PgtableDomain;
import org.iommulab.pgtable.TaggedIotlb;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * A stage-1 paging domain of an SMMUv3 ({@code struct arm_smmu_domain}, v6.7): an ASID, an
 * io-pgtable-arm table and the invalidations the driver sends for it.
 *
 * <p>{@code iotlb_sync} is {@code arm_smmu_tlb_inv_range_domain} over the gathered range: without
 * range invalidation one TLBI_NH_VA per page; with it, each command covers {@code num << scale}
 * pages, where {@code scale} is the lowest set bit of the pages left and {@code num} the five bits
 * above it, so a range takes one command per five-bit group of its page count. Then, with ATS, one
 * ATC_INV over the smallest aligned power-of-two span holding the range. {@code flush_iotlb_all}
 * is one TLBI_NH_ASID and, with ATS, one ATC_INV over everything. Each list goes through the
 * command queue with a CMD_SYNC.
 */
public final class SmmuDomain extends PgtableDomain {

    /** {@code CMDQ_TLBI_RANGE_NUM_MAX}: a range command's NUM field holds up to 31 chunks. */
    static final long RANGE_NUM_MAX = 31;
    /** An ATC_INV with size 0 covers the whole 52-bit space: 2^40 pages of 4 KiB. */
    private static final long ATC_ALL_PAGES = 1L << 40;

    private final SmmuV3 smmu;
    private final int asid;

    SmmuDomain(SmmuV3 smmu, int asid) {
        super(Cost.SMMU_TABLE_ALLOC, smmu.tracker(), true, smmu.faults().attr(FaultKind.TABLE_ALLOC));
        this.smmu = smmu;
        this.asid = asid;
    }

    /** The ASID's entries in the SMMU's TLB and, with ATS, in the device's ATC. */
    @Override
    protected void dropCachedEntries() {
        smmu.tlb().invalidateDomain(asid);
        if (smmu.atc() != null) {
            smmu.atc().invalidateDomain(asid);
        }
    }

    /** {@code arm_smmu_flush_iotlb_all}: the ASID's TLB entries, then the ATC, each with a sync. */
    @Override
    public void flushIotlbAll(Cpu cpu) {
        smmu.cmdq().submit(cpu, List.of(CmdqCommand.tlbiAsid(asid)));
        atcInvalidate(cpu, 0, ATC_ALL_PAGES);
        smmu.tracker().invalidatedAll(cpu.nowNs());
    }

    /** The SMMUv3 driver has no {@code iotlb_sync_map}: its TLB caches no invalid entries. */
    @Override
    public int iotlbSyncMap(Cpu cpu, long iova, long size) {
        return 0;
    }

    @Override
    public void iotlbSync(Cpu cpu, IotlbGather gather) {
        if (gather.isEmpty()) {
            return;
        }
        long firstPfn = gather.start() >>> IoPte.PAGE_SHIFT;
        long pages = (gather.end() >>> IoPte.PAGE_SHIFT) - firstPfn + 1;
        smmu.cmdq().submit(cpu, tlbiRange(firstPfn, pages, gather.pgsize() >>> IoPte.PAGE_SHIFT));
        atcInvalidate(cpu, firstPfn, pages);
        smmu.tracker().invalidated(cpu.nowNs(), firstPfn, pages);
    }

    /**
     * {@code __arm_smmu_tlb_inv_range}: the TLBI_NH_VA commands for {@code pages} pages from
     * {@code firstPfn}, one per granule of {@code granulePages} pages or, with range
     * invalidation, one per five-bit group of the page count.
     */
    List<CmdqCommand> tlbiRange(long firstPfn, long pages, long granulePages) {
        List<CmdqCommand> commands = new ArrayList<>();
        long pfn = firstPfn;
        long end = firstPfn + pages;
        long left = pages;
        while (pfn < end) {
            long covered = Math.max(1, granulePages);
            if (smmu.config().rangeInvalidation()) {
                int scale = Long.numberOfTrailingZeros(left);
                long num = (left >>> scale) & RANGE_NUM_MAX;
                covered = num << scale;
                left -= covered;
            }
            commands.add(CmdqCommand.tlbiVa(asid, pfn, covered));
            pfn += covered;
        }
        return commands;
    }

    /**
     * {@code arm_smmu_atc_inv_domain}: with ATS and a device attached, one ATC_INV over the
     * smallest naturally aligned power-of-two span of pages holding the range, with a sync.
     */
    private void atcInvalidate(Cpu cpu, long firstPfn, long pages) {
        if (smmu.atc() == null || !attached()) {
            return;
        }
        long lastPfn = firstPfn + pages - 1;
        int log2Span = Long.SIZE - Long.numberOfLeadingZeros(firstPfn ^ lastPfn);
        long span = pages >= ATC_ALL_PAGES ? ATC_ALL_PAGES : 1L << log2Span;
        smmu.cmdq().submit(cpu, List.of(CmdqCommand.atcInv(asid, firstPfn & -span, span)));
    }

    /**
     * A DMA by an attached device to {@code iova}: through the device's ATC first with ATS, then
     * the SMMU's TLB, then a table walk, caching the entry on the way back; {@link #FAULT}
     * when nothing translates it with the needed permission or no device is attached.
     */
    @Override
    public long translate(long iova, boolean write) {
        if (!attached()) {
            return FAULT;
        }
        TaggedIotlb atc = smmu.atc();
        if (atc == null) {
            return pgtable.translate(smmu.tlb(), asid, iova, write);
        }
        long pfn = iova >>> IoPte.PAGE_SHIFT;
        long pte = atc.lookup(asid, pfn);
        if (pte == 0) {
            long before = atc.invalidations();
            pte = pgtable.lookup(smmu.tlb(), asid, pfn);
            if (pte != 0) {
                atc.fill(asid, pfn, pte, before);
            }
        }
        return IoPgtable.access(pte, iova, write);
    }

    /** Accesses that missed the first cache they met (the ATC with ATS, else the SMMU's TLB). */
    @Override
    public long iotlbMisses() {
        return smmu.atc() != null ? smmu.atc().misses() : smmu.tlb().misses();
    }

    /** The ASID tagging this domain's TLB entries and invalidations. */
    public int asid() {
        return asid;
    }
}
