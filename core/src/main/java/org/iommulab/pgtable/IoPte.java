package org.iommulab.pgtable;

/**
 * The second-stage entry format of VT-d (drivers/iommu/intel/iommu.h, {@code struct dma_pte}):
 * bit 0 read, bit 1 write, bits 12-51 the page-frame address of the page or of the next-level
 * table. An entry is present when it allows read or write ({@code dma_pte_present}); a table
 * entry allows both. AMD-Vi's and io-pgtable-arm's LPAE formats (a valid bit, access-permission
 * bits) differ in their bits but not in anything the model decides.
 */
public final class IoPte {
    public static final long READ = 1L;
    public static final long WRITE = 1L << 1;
    public static final int PAGE_SHIFT = 12;
    public static final long ADDR_MASK = ((1L << 52) - 1) & ~((1L << PAGE_SHIFT) - 1);

    private IoPte() {}

    /** An entry pointing at page frame {@code pfn} with the given permission bits. */
    public static long make(long pfn, long perms) {
        return ((pfn << PAGE_SHIFT) & ADDR_MASK) | perms;
    }

    public static boolean present(long pte) {
        return (pte & (READ | WRITE)) != 0;
    }

    public static long pfn(long pte) {
        return (pte & ADDR_MASK) >>> PAGE_SHIFT;
    }
}
