package org.iommulab.platform.shadow;

import static org.iommulab.s390.PciDma.PAGE_MASK;
import static org.iommulab.s390.PciDma.PAGE_SIZE;
import static org.iommulab.s390.PciDma.ZPCI_PTE_ADDR_MASK;
import static org.iommulab.s390.PciDma.entryIsProtected;
import static org.iommulab.s390.PciDma.ptEntryIsValid;
import static org.iommulab.s390.PciDma.regEntryIsValid;

import org.iommulab.iommu.IommuProt;
import org.iommulab.s390.DmaTable;

/**
 * How a shadowing hypervisor reads a guest's DMA translation tables: {@code s390_guest_io_table_walk}
 * and {@code table_translate} (hw/s390x/s390-pci-bus.c). One 8-byte guest-memory load per level,
 * stopping at the first invalid entry, whose frame size (2 GiB, 1 MiB, 4 KiB) the result carries;
 * a protection bit on any level makes the page read-only.
 *
 * <p>Not modelled, since the Linux driver never produces them: segment entries with the
 * format-control bit (1 MiB pages) and malformed entries (QEMU's INVALTE, INVALTL and TT errors).
 */
final class GuestIoTableWalk {

    static final long REGION_FRAME = 1L << 31;
    static final long SEGMENT_FRAME = 1L << 20;

    private GuestIoTableWalk() {}

    /** The translation of the page holding {@code addr}, or the invalid entry that decides it. */
    static GuestIoTableEntry walk(DmaTable table, long addr) {
        long iova = addr & PAGE_MASK;
        long rte = table.rte(addr);
        if (!regEntryIsValid(rte)) {
            return new GuestIoTableEntry(iova, 0, REGION_FRAME, 0, 1);
        }
        long ste = table.ste(rte, addr);
        if (!regEntryIsValid(ste)) {
            return new GuestIoTableEntry(iova, 0, SEGMENT_FRAME, 0, 2);
        }
        long pte = table.pte(ste, addr);
        if (!ptEntryIsValid(pte)) {
            return new GuestIoTableEntry(iova, 0, PAGE_SIZE, 0, 3);
        }
        boolean readOnly = entryIsProtected(rte) || entryIsProtected(ste) || entryIsProtected(pte);
        int perm = readOnly ? IommuProt.READ : IommuProt.READ | IommuProt.WRITE;
        return new GuestIoTableEntry(iova, pte & ZPCI_PTE_ADDR_MASK, PAGE_SIZE, perm, 3);
    }
}
