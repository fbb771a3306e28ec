package org.iommulab.platform.shadow;

/**
 * One result of walking the guest's DMA translation tables for an address, as QEMU's
 * {@code S390IOTLBEntry} comes back from {@code s390_guest_io_table_walk}.
 *
 * @param iova the 4 KiB page of the walked address
 * @param translatedAddr the guest-physical address the page maps to; 0 when invalid
 * @param len the frame the deciding entry covers: 4 KiB for a page-table entry, 1 MiB for an
 *     invalid segment entry, 2 GiB for an invalid region entry
 * @param perm the {@code IommuProt} bits, 0 (IOMMU_NONE) when invalid
 * @param loads the 8-byte guest-memory loads the walk did (1 to 3)
 */
public record GuestIoTableEntry(long iova, long translatedAddr, long len, int perm, int loads) {

    /** The page is not mapped: an invalid region, segment or page-table entry. */
    public boolean invalid() {
        return perm == 0;
    }
}
