package org.iommulab.s390;

/**
 * The DMA translation-table formats of arch/s390/include/asm/pci_dma.h and the entry helpers
 * drivers/iommu/s390-iommu.c (v6.7) builds on them. Entries are 64-bit values; a helper returns
 * the changed entry instead of changing it in place. Only the region-third origin type exists
 * here, as in v6.7: region-third table, segment tables, page tables, 4 TiB in all.
 */
public final class PciDma {

    /** {@code PAGE_SHIFT}: 4 KiB pages. */
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final long PAGE_MASK = ~(PAGE_SIZE - 1);

    // I/O translation anchor (IOTA) designation
    public static final long ZPCI_IOTA_IOT_ENABLED = 0x800L;
    /** Designation type 1, region-third table origin. */
    public static final long ZPCI_IOTA_DT_RT = 1L << 2;
    /** {@code PAGE_DEFAULT_KEY << 5}; the default storage key is 0. */
    public static final long ZPCI_KEY = 0L << 5;
    public static final long ZPCI_IOTA_RTTO_FLAG = ZPCI_IOTA_IOT_ENABLED | ZPCI_KEY | ZPCI_IOTA_DT_RT;

    /** The span of one region-third table: 2^42 bytes = 4 TiB. */
    public static final long ZPCI_TABLE_SIZE_RT = 1L << 42;

    // Region and segment tables
    public static final long ZPCI_INDEX_MASK = 0x7ffL;
    public static final long ZPCI_TABLE_TYPE_MASK = 0xc;
    public static final long ZPCI_TABLE_TYPE_RFX = 0xc;
    public static final long ZPCI_TABLE_TYPE_RSX = 0x8;
    public static final long ZPCI_TABLE_TYPE_RTX = 0x4;
    public static final long ZPCI_TABLE_TYPE_SX = 0x0;
    public static final long ZPCI_TABLE_LEN_RTX = 0x3;
    public static final long ZPCI_TABLE_OFFSET_MASK = 0xc0;
    /** Bytes in a region or segment table. */
    public static final int ZPCI_TABLE_SIZE = 0x4000;
    public static final int ZPCI_TABLE_ALIGN = ZPCI_TABLE_SIZE;
    public static final int ZPCI_TABLE_ENTRY_SIZE = 8;
    public static final int ZPCI_TABLE_ENTRIES = ZPCI_TABLE_SIZE / ZPCI_TABLE_ENTRY_SIZE;
    public static final int ZPCI_TABLE_BITS = 11;
    public static final int ZPCI_PT_BITS = 8;
    public static final int ZPCI_ST_SHIFT = ZPCI_PT_BITS + PAGE_SHIFT;
    public static final int ZPCI_RT_SHIFT = ZPCI_ST_SHIFT + ZPCI_TABLE_BITS;
    public static final long ZPCI_RTE_FLAG_MASK = 0x3fffL;
    public static final long ZPCI_RTE_ADDR_MASK = ~ZPCI_RTE_FLAG_MASK;
    public static final long ZPCI_STE_FLAG_MASK = 0x7ffL;
    public static final long ZPCI_STE_ADDR_MASK = ~ZPCI_STE_FLAG_MASK;

    // Page tables
    public static final long ZPCI_PTE_VALID_MASK = 0x400;
    public static final long ZPCI_PTE_INVALID = 0x400;
    public static final long ZPCI_PTE_VALID = 0x000;
    /** Bytes in a page table. */
    public static final int ZPCI_PT_SIZE = 0x800;
    public static final int ZPCI_PT_ALIGN = ZPCI_PT_SIZE;
    public static final int ZPCI_PT_ENTRIES = ZPCI_PT_SIZE / ZPCI_TABLE_ENTRY_SIZE;
    public static final long ZPCI_PT_MASK = ZPCI_PT_ENTRIES - 1;
    public static final long ZPCI_PTE_FLAG_MASK = 0xfffL;
    public static final long ZPCI_PTE_ADDR_MASK = ~ZPCI_PTE_FLAG_MASK;

    // Bits shared by all levels
    public static final long ZPCI_TABLE_VALID = 0x00;
    public static final long ZPCI_TABLE_INVALID = 0x20;
    public static final long ZPCI_TABLE_PROTECTED = 0x200;
    public static final long ZPCI_TABLE_UNPROTECTED = 0x000;
    public static final long ZPCI_TABLE_VALID_MASK = 0x20;
    public static final long ZPCI_TABLE_PROT_MASK = 0x200;

    private PciDma() {}

    /** Region-third index: bits 41..31 of the address. */
    public static int calcRtx(long dmaAddr) {
        return (int) ((dmaAddr >>> ZPCI_RT_SHIFT) & ZPCI_INDEX_MASK);
    }

    /** Segment index: bits 30..20. */
    public static int calcSx(long dmaAddr) {
        return (int) ((dmaAddr >>> ZPCI_ST_SHIFT) & ZPCI_INDEX_MASK);
    }

    /** Page index: bits 19..12. */
    public static int calcPx(long dmaAddr) {
        return (int) ((dmaAddr >>> PAGE_SHIFT) & ZPCI_PT_MASK);
    }

    /** Puts page-frame address {@code pfaa} into a PTE, keeping its flags. */
    public static long setPtPfaa(long entry, long pfaa) {
        return (entry & ZPCI_PTE_FLAG_MASK) | (pfaa & ZPCI_PTE_ADDR_MASK);
    }

    /** Points a region-third entry at segment table {@code sto}, typed RTX. */
    public static long setRtSto(long entry, long sto) {
        return (entry & ZPCI_RTE_FLAG_MASK) | (sto & ZPCI_RTE_ADDR_MASK) | ZPCI_TABLE_TYPE_RTX;
    }

    /** Points a segment entry at page table {@code pto}, typed SX. */
    public static long setStPto(long entry, long pto) {
        return (entry & ZPCI_STE_FLAG_MASK) | (pto & ZPCI_STE_ADDR_MASK) | ZPCI_TABLE_TYPE_SX;
    }

    /** Marks a region-third entry valid with offset 0 and the full table length. */
    public static long validateRtEntry(long entry) {
        return (entry & ~ZPCI_TABLE_VALID_MASK & ~ZPCI_TABLE_OFFSET_MASK) | ZPCI_TABLE_VALID | ZPCI_TABLE_LEN_RTX;
    }

    public static long validateStEntry(long entry) {
        return (entry & ~ZPCI_TABLE_VALID_MASK) | ZPCI_TABLE_VALID;
    }

    /** Marks a PTE invalid; its frame address stays, as the kernel leaves it. */
    public static long invalidatePtEntry(long entry) {
        return (entry & ~ZPCI_PTE_VALID_MASK) | ZPCI_PTE_INVALID;
    }

    public static long validatePtEntry(long entry) {
        return (entry & ~ZPCI_PTE_VALID_MASK) | ZPCI_PTE_VALID;
    }

    public static long entrySetProtected(long entry) {
        return (entry & ~ZPCI_TABLE_PROT_MASK) | ZPCI_TABLE_PROTECTED;
    }

    public static long entryClrProtected(long entry) {
        return (entry & ~ZPCI_TABLE_PROT_MASK) | ZPCI_TABLE_UNPROTECTED;
    }

    /** A region or segment entry is valid. */
    public static boolean regEntryIsValid(long entry) {
        return (entry & ZPCI_TABLE_VALID_MASK) == ZPCI_TABLE_VALID;
    }

    public static boolean ptEntryIsValid(long entry) {
        return (entry & ZPCI_PTE_VALID_MASK) == ZPCI_PTE_VALID;
    }

    /** The entry forbids DMA writes (any level). */
    public static boolean entryIsProtected(long entry) {
        return (entry & ZPCI_TABLE_PROT_MASK) == ZPCI_TABLE_PROTECTED;
    }

    /** The segment-table origin of a region-third entry, or 0 when the entry is not typed RTX. */
    public static long getRtSto(long entry) {
        return (entry & ZPCI_TABLE_TYPE_MASK) == ZPCI_TABLE_TYPE_RTX ? entry & ZPCI_RTE_ADDR_MASK : 0;
    }

    /** The page-table origin of a segment entry, or 0 when the entry is not typed SX. */
    public static long getStPto(long entry) {
        return (entry & ZPCI_TABLE_TYPE_MASK) == ZPCI_TABLE_TYPE_SX ? entry & ZPCI_STE_ADDR_MASK : 0;
    }

    /** The page-frame address of a PTE. */
    public static long ptePfaa(long entry) {
        return entry & ZPCI_PTE_ADDR_MASK;
    }
}
