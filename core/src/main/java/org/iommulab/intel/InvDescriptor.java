package org.iommulab.intel;

import org.iommulab.pgtable.IoPte;

/**
 * One 128-bit queued-invalidation descriptor (VT-d spec 6.5.2; include/linux/intel-iommu.h
 * {@code struct qi_desc}), reduced to the fields the model acts on.
 *
 * @param did the domain id, for IOTLB descriptors
 * @param addr the first IOVA of a page-selective invalidation
 * @param am the address mask: a page-selective invalidation covers 2^am pages, naturally aligned
 */
public record InvDescriptor(Type type, int did, long addr, int am) {

    /** The descriptor types the driver issues. */
    public enum Type {
        /** IOTLB invalidation, page-selective-within-domain granularity. */
        IOTLB_PSI,
        /** IOTLB invalidation, domain-selective granularity. */
        IOTLB_DSI,
        /** Invalidation wait: the hardware writes a status word once all earlier descriptors are done. */
        WAIT
    }

    static InvDescriptor psi(int did, long addr, int am) {
        return new InvDescriptor(Type.IOTLB_PSI, did, addr, am);
    }

    static InvDescriptor dsi(int did) {
        return new InvDescriptor(Type.IOTLB_DSI, did, 0, 0);
    }

    /** The first page a page-selective invalidation covers: the hardware ignores the low am bits. */
    public long firstPfn() {
        return (addr >>> IoPte.PAGE_SHIFT) & -(1L << am);
    }

    /** The pages a page-selective invalidation covers. */
    public long pages() {
        return 1L << am;
    }
}
