package org.iommulab.s390;

import org.iommulab.iommu.IommuTrace;
import org.iommulab.kernel.Device;

/**
 * A zPCI function as the guest kernel sees it ({@code struct zpci_dev}, arch/s390/include/asm/pci.h)
 * reduced to what DMA translation needs: function id and handle, function type, the DMA range
 * ({@code start_dma}/{@code end_dma}, first the CLP {@code sdma}/{@code edma} hardware range, then
 * the aperture {@code zpci_init_iommu} computes), {@code tlb_refresh} from the function group's
 * refresh bit, the I/O address translation tables registered for it, and its IOMMU counters.
 *
 * <p>The function is plugged into the {@link RpcitHandler} of its platform, which executes its
 * RPCITs. An optional {@link IommuTrace} records, in IOVA page frames, when pages are
 * unmapped and when the platform's invalidation ends their reachability.
 */
public final class ZpciFunction {

    /** {@code start_dma} firmware typically reports: the bottom 4 GiB are not used for DMA. */
    public static final long DEFAULT_SDMA = 0x1_0000_0000L;
    /** {@code end_dma} QEMU gives emulated functions ({@code s390_pci_init_default_group}). */
    public static final long DEFAULT_EDMA = 0x1ff_ffff_ffff_ffffL;

    private final Device device;
    private final int fid;
    private final int fh;
    private final boolean ism;
    private final boolean tlbRefresh;
    private final RpcitHandler rpcitHandler;
    private final IommuTrace trace;
    private final ZpciIommuCtrs ownCtrs = new ZpciIommuCtrs();
    private volatile long startDma;
    private volatile long endDma;
    private volatile DmaTable ioat;
    private volatile ZpciIommuCtrs iommuCtrs = ownCtrs;

    private ZpciFunction(Builder b) {
        this.device = b.device;
        this.fid = b.fid;
        this.fh = b.fh;
        this.ism = b.ism;
        this.tlbRefresh = b.tlbRefresh;
        this.rpcitHandler = b.rpcitHandler;
        this.trace = b.trace == null ? IommuTrace.NONE : b.trace;
        this.startDma = b.sdma;
        this.endDma = b.edma;
    }

    /** A function for {@code device} whose RPCITs {@code rpcitHandler} executes. */
    public static Builder builder(Device device, RpcitHandler rpcitHandler) {
        return new Builder(device, rpcitHandler);
    }

    /** The kernel device ({@code zdev->zbus->... pdev->dev}) this function is. */
    public Device device() {
        return device;
    }

    public int fid() {
        return fid;
    }

    /** The function handle, {@code zdev->fh}; RPCIT names the function by it. */
    public int fh() {
        return fh;
    }

    /** {@code zdev->pft == PCI_FUNC_TYPE_ISM}: an ISM function, which stays strict. */
    public boolean isIsm() {
        return ism;
    }

    /** {@code zdev->tlb_refresh}: new mappings must be announced with RPCIT. */
    public boolean tlbRefresh() {
        return tlbRefresh;
    }

    public RpcitHandler rpcitHandler() {
        return rpcitHandler;
    }

    /** The stale-window tracker, or null when stale windows are not recorded. */
    public IommuTrace trace() {
        return trace;
    }

    public long startDma() {
        return startDma;
    }

    /** The last DMA address, inclusive. */
    public long endDma() {
        return endDma;
    }

    /** Sets the DMA range, as {@code zpci_init_iommu} does once it computed the aperture. */
    public void setDmaRange(long startDma, long endDma) {
        checkRange(startDma, endDma);
        this.startDma = startDma;
        this.endDma = endDma;
    }

    /** {@code zpci_register_ioat}: translations for {@code [start_dma, end_dma]} now go through {@code table}. */
    public void registerIoat(DmaTable table) {
        ioat = table;
        rpcitHandler.ioatChanged(this);
    }

    /** {@code zpci_unregister_ioat}: DMA is blocked. */
    public void unregisterIoat() {
        ioat = null;
        rpcitHandler.ioatChanged(this);
    }

    /** The registered translation tables, or null when none are registered. */
    public DmaTable ioat() {
        return ioat;
    }

    /**
     * The counters debugfs shows for this function ({@code zpci_get_iommu_ctrs}): those of the
     * s390 domain last attached, or the function's own ({@code zdev->iommu_stats} of the old DMA API).
     */
    public ZpciIommuCtrs iommuCtrs() {
        return iommuCtrs;
    }

    /** Makes {@code ctrs} the counters this function shows. */
    public void setIommuCtrs(ZpciIommuCtrs ctrs) {
        iommuCtrs = ctrs;
    }

    @Override
    public String toString() {
        return String.format("zpci fid 0x%x fh 0x%x (%s)", fid, fh, device);
    }

    private static void checkRange(long start, long end) {
        if (Long.compareUnsigned(start, end) > 0) {
            throw new IllegalArgumentException(String.format(
                    "DMA range start 0x%x above end 0x%x; start must be <= end", start, end));
        }
    }

    /** Builds a {@link ZpciFunction}; defaults: fid 0, fh 0, not ISM, no refresh, QEMU's SDMA/EDMA. */
    public static final class Builder {
        private final Device device;
        private final RpcitHandler rpcitHandler;
        private int fid;
        private int fh;
        private boolean ism;
        private boolean tlbRefresh;
        private long sdma = DEFAULT_SDMA;
        private long edma = DEFAULT_EDMA;
        private IommuTrace trace;

        private Builder(Device device, RpcitHandler rpcitHandler) {
            if (device == null || rpcitHandler == null) {
                throw new IllegalArgumentException("a zPCI function needs a device and an RPCIT handler");
            }
            this.device = device;
            this.rpcitHandler = rpcitHandler;
        }

        public Builder fid(int fid) {
            this.fid = fid;
            return this;
        }

        public Builder fh(int fh) {
            this.fh = fh;
            return this;
        }

        public Builder ism(boolean ism) {
            this.ism = ism;
            return this;
        }

        /** The function group's refresh bit. */
        public Builder tlbRefresh(boolean tlbRefresh) {
            this.tlbRefresh = tlbRefresh;
            return this;
        }

        /** The CLP hardware DMA range {@code [sdma, edma]}. */
        public Builder dmaRange(long sdma, long edma) {
            checkRange(sdma, edma);
            this.sdma = sdma;
            this.edma = edma;
            return this;
        }

        public Builder trace(IommuTrace tracker) {
            this.trace = tracker;
            return this;
        }

        public ZpciFunction build() {
            return new ZpciFunction(this);
        }
    }
}
