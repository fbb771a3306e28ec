package org.iommulab.s390;

import static org.iommulab.s390.PciDma.*;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * A domain's DMA translation tables: one region-third table (2048 entries of 2 GiB), segment tables
 * (2048 entries of 1 MiB) and page tables (256 entries of 4 KiB) in {@link TableMemory}, with the
 * entry formats of arch/s390/include/asm/pci_dma.h. Models the table code of
 * drivers/iommu/s390-iommu.c (v6.7): {@code dma_walk_cpu_trans}, {@code dma_update_cpu_trans},
 * {@code dma_cleanup_tables}, and the lock-free updates of "s390/pci: use lock-free I/O
 * translation updates".
 *
 * <p>Lower tables are allocated on first use and installed with a compare-and-set of the invalid
 * entry; a CPU that loses the race frees its copy and follows the winner's entry, so all CPUs agree
 * on one table. A PTE is rebuilt from a plain read and published with an atomic exchange. Tables
 * are freed only with the whole domain ({@link #free}), so a walker never sees a freed table.
 *
 * <p>The read-only walk ({@link #rte}, {@link #ste}, {@link #pte}, {@link #translate}) is what a
 * hypervisor or the hardware does: it follows origin addresses through guest memory and never
 * allocates.
 */
public final class DmaTable {

    private final TableMemory memory;
    private final long rto;
    private final AtomicLongArray rt;
    private final AtomicLong crstTables = new AtomicLong(1);
    private final AtomicLong pageTables = new AtomicLong();
    private final AtomicLong racesLost = new AtomicLong();

    private DmaTable(TableMemory memory, long rto) {
        this.memory = memory;
        this.rto = rto;
        this.rt = memory.table(rto);
    }

    /**
     * Allocates an empty region-third table ({@code dma_alloc_cpu_table}).
     *
     * @return the tables, or null when {@code memory} has no room
     */
    public static DmaTable alloc(TableMemory memory) {
        long rto = memory.alloc(ZPCI_TABLE_ENTRIES, ZPCI_TABLE_ALIGN, ZPCI_TABLE_INVALID);
        return rto == 0 ? null : new DmaTable(memory, rto);
    }

    /** The region-third table's origin address. */
    public long rto() {
        return rto;
    }

    /** The I/O translation anchor a function registers: the origin with {@code ZPCI_IOTA_RTTO_FLAG}. */
    public long iota() {
        return rto | ZPCI_IOTA_RTTO_FLAG;
    }

    public TableMemory memory() {
        return memory;
    }

    /**
     * {@code dma_walk_cpu_trans} then {@code dma_update_cpu_trans}: finds the PTE of
     * {@code dmaAddr}, allocating missing tables, and sets it to {@code pageAddr} valid, or to
     * invalid when {@code flags} has {@link PciDma#ZPCI_PTE_INVALID}; protected when {@code flags}
     * has {@link PciDma#ZPCI_TABLE_PROTECTED}, else unprotected.
     *
     * @return false when a table could not be allocated (the kernel's NULL walk, -ENOMEM)
     */
    public boolean updateCpuTrans(Cpu cpu, long dmaAddr, long pageAddr, long flags) {
        long sto = getSegTableOrigin(cpu, rt, calcRtx(dmaAddr));
        if (sto == 0) {
            return false;
        }
        long pto = getPageTableOrigin(cpu, memory.table(sto), calcSx(dmaAddr));
        if (pto == 0) {
            return false;
        }
        AtomicLongArray pt = memory.table(pto);
        int px = calcPx(dmaAddr);
        long pte = pt.getPlain(px);
        if ((flags & ZPCI_PTE_INVALID) != 0) {
            pte = invalidatePtEntry(pte);
        } else {
            pte = validatePtEntry(setPtPfaa(pte, pageAddr));
        }
        pte = (flags & ZPCI_TABLE_PROTECTED) != 0 ? entrySetProtected(pte) : entryClrProtected(pte);
        pt.getAndSet(px, pte);
        cpu.spend(Cost.PTE_WRITE);
        return true;
    }

    /** {@code dma_get_seg_table_origin}: the segment table under {@code rt[rtx]}, or 0. */
    private long getSegTableOrigin(Cpu cpu, AtomicLongArray rtable, int rtx) {
        long rte = rtable.getAcquire(rtx);
        if (regEntryIsValid(rte)) {
            return getRtSto(rte);
        }
        long sto = memory.allocAtomic(ZPCI_TABLE_ENTRIES, ZPCI_TABLE_ALIGN, ZPCI_TABLE_INVALID);
        if (sto == 0) {
            return 0;
        }
        cpu.spend(Cost.TABLE_ALLOC_CRST);
        rte = entryClrProtected(validateRtEntry(setRtSto(rte, sto)));
        long installed = install(cpu, rtable, rtx, rte, sto);
        if (installed != rte) {
            return getRtSto(installed);
        }
        crstTables.incrementAndGet();
        return sto;
    }

    /** {@code dma_get_page_table_origin}: the page table under {@code st[sx]}, or 0. */
    private long getPageTableOrigin(Cpu cpu, AtomicLongArray st, int sx) {
        long ste = st.getAcquire(sx);
        if (regEntryIsValid(ste)) {
            return getStPto(ste);
        }
        long pto = memory.allocAtomic(ZPCI_PT_ENTRIES, ZPCI_PT_ALIGN, ZPCI_PTE_INVALID);
        if (pto == 0) {
            return 0;
        }
        cpu.spend(Cost.TABLE_ALLOC_PT);
        ste = entryClrProtected(validateStEntry(setStPto(ste, pto)));
        long installed = install(cpu, st, sx, ste, pto);
        if (installed != ste) {
            return getStPto(installed);
        }
        pageTables.incrementAndGet();
        return pto;
    }

    /**
     * Installs {@code entry}, which points at the new table {@code origin}, where {@code upper}
     * still holds the invalid entry. A CPU that lost the race frees its table and uses the winner's.
     *
     * @return the entry now installed: {@code entry}, or the winner's
     */
    private long install(Cpu cpu, AtomicLongArray upper, int index, long entry, long origin) {
        long old = upper.compareAndExchange(index, ZPCI_TABLE_INVALID, entry);
        cpu.spend(Cost.TABLE_INSTALL);
        if (old == ZPCI_TABLE_INVALID) {
            return entry;
        }
        memory.free(origin);
        racesLost.incrementAndGet();
        return old;
    }

    /** The region-third entry for {@code dmaAddr} (bits 41..31). */
    public long rte(long dmaAddr) {
        return rt.getAcquire(calcRtx(dmaAddr));
    }

    /** The segment entry for {@code dmaAddr} under a valid region-third entry {@code rte}. */
    public long ste(long rte, long dmaAddr) {
        return memory.load(getRtSto(rte), calcSx(dmaAddr));
    }

    /** The page-table entry for {@code dmaAddr} under a valid segment entry {@code ste}. */
    public long pte(long ste, long dmaAddr) {
        return memory.load(getStPto(ste), calcPx(dmaAddr));
    }

    /**
     * The full read-only walk: the PTE that translates {@code dmaAddr}, or
     * {@link PciDma#ZPCI_PTE_INVALID} when the address is beyond 4 TiB or an upper entry is invalid.
     */
    public long translate(long dmaAddr) {
        if (Long.compareUnsigned(dmaAddr, ZPCI_TABLE_SIZE_RT) >= 0) {
            return ZPCI_PTE_INVALID;
        }
        long rte = rte(dmaAddr);
        if (!regEntryIsValid(rte)) {
            return ZPCI_PTE_INVALID;
        }
        long ste = ste(rte, dmaAddr);
        if (!regEntryIsValid(ste)) {
            return ZPCI_PTE_INVALID;
        }
        return pte(ste, dmaAddr);
    }

    /** {@code dma_cleanup_tables}: frees every table. The tables must not be used afterwards. */
    public void free() {
        for (int rtx = 0; rtx < ZPCI_TABLE_ENTRIES; rtx++) {
            long rte = rt.getAcquire(rtx);
            if (!regEntryIsValid(rte)) {
                continue;
            }
            long sto = getRtSto(rte);
            AtomicLongArray st = memory.table(sto);
            for (int sx = 0; sx < ZPCI_TABLE_ENTRIES; sx++) {
                long ste = st.getAcquire(sx);
                if (regEntryIsValid(ste)) {
                    memory.free(getStPto(ste));
                    pageTables.decrementAndGet();
                }
            }
            memory.free(sto);
            crstTables.decrementAndGet();
        }
        memory.free(rto);
        crstTables.decrementAndGet();
    }

    /** Bytes of tables this domain holds: 16 KiB per region or segment table, 2 KiB per page table. */
    public long bytes() {
        return crstTables.get() * ZPCI_TABLE_SIZE + pageTables.get() * ZPCI_PT_SIZE;
    }

    /** Region and segment tables held, the region-third table included. */
    public long crstTables() {
        return crstTables.get();
    }

    public long pageTables() {
        return pageTables.get();
    }

    /** Tables allocated by a CPU that then lost the installation race and freed its copy. */
    public long racesLost() {
        return racesLost.get();
    }
}
