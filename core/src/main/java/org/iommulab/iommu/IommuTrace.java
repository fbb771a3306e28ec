package org.iommulab.iommu;

/**
 * Tracepoints at the two ends of a translation's life after its unmap, in IOVA page frames: the
 * page tables dropped it, and an invalidation made the device unable to reach it. IOMMU drivers
 * and the hardware or hypervisor beneath them emit these; whoever listens (the stale-window
 * measurement) is no business of theirs, as with the kernel's {@code trace_unmap}.
 */
public interface IommuTrace {

    /** Listens to nothing. */
    IommuTrace NONE = new IommuTrace() {
        @Override
        public void unmapped(long nowNs, long iovaPfn, long pages) {}

        @Override
        public void invalidated(long nowNs, long firstPfn, long pages) {}

        @Override
        public void invalidatedAll(long nowNs) {}
    };

    /** {@code pages} from {@code iovaPfn} left the page tables at {@code nowNs}; the device may still reach them. */
    void unmapped(long nowNs, long iovaPfn, long pages);

    /** The device can no longer reach {@code pages} from {@code firstPfn}. */
    void invalidated(long nowNs, long firstPfn, long pages);

    /** The device can no longer reach any unmapped page. */
    void invalidatedAll(long nowNs);
}
