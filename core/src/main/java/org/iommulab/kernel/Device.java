package org.iommulab.kernel;

import org.iommulab.fault.FaultAttr;

/**
 * {@code struct device} as the DMA and IOMMU layers see it (include/linux/device.h): a name, a DMA
 * mask and the bus's limit, whether it is untrusted, the per-device IOMMU data, the DMA ops its
 * driver calls through, and on the hardware side how its register writes reach it, how its DMA is
 * translated and which of its transfers end in an error (an injected fault, as powerpc's per-device
 * {@code fail_iommu} attribute injects DMA mapping failures).
 */
public final class Device {

    /** {@code dma_get_max_seg_size} of a device whose driver set none (no {@code dma_parms}): 64 KiB. */
    public static final long DEFAULT_MAX_SEG_SIZE = 64 * 1024;
    /** The largest value {@code dma_set_max_seg_size} takes: an unsigned int. */
    public static final long MAX_SEG_SIZE_LIMIT = 0xffff_ffffL;

    private final String name;
    private final boolean untrusted;
    private final DevIommu iommu = new DevIommu();
    private volatile long dmaMask = 0xffff_ffffL;
    private volatile long busDmaLimit;
    private volatile FaultAttr transferErrors = FaultAttr.NEVER;
    private volatile DmaOps dmaOps;
    private volatile Mmio mmio = Mmio.DIRECT;
    private volatile DeviceTranslation translation = DeviceTranslation.IDENTITY;
    private volatile long maxSegSize = DEFAULT_MAX_SEG_SIZE;

    public Device(String name) {
        this(name, false);
    }

    /** @param untrusted an external-facing device, which always gets a strict domain */
    public Device(String name, boolean untrusted) {
        this.name = name;
        this.untrusted = untrusted;
    }

    public String name() {
        return name;
    }

    public boolean untrusted() {
        return untrusted;
    }

    public DevIommu iommu() {
        return iommu;
    }

    /** The highest bus address the device can reach ({@code *dev->dma_mask}). */
    public long dmaMask() {
        return dmaMask;
    }

    /** {@code dma_set_mask}: {@code bits} between 1 and 64. */
    public void setDmaMaskBits(int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("DMA mask of " + bits + " bits; allowed 1..64");
        }
        dmaMask = bits == 64 ? -1L : (1L << bits) - 1;
    }

    /** {@code bus_dma_limit}: the highest bus address the bus upstream of the device passes, or 0 for no limit. */
    public long busDmaLimit() {
        return busDmaLimit;
    }

    /** Sets {@link #busDmaLimit}, as firmware's {@code dma-ranges} do: 0 removes the limit. */
    public void setBusDmaLimit(long limit) {
        busDmaLimit = limit;
    }

    /** Which of the device's transfers end with an error status ({@code --fault device-error}). */
    public FaultAttr transferErrors() {
        return transferErrors;
    }

    public void setTransferErrors(FaultAttr errors) {
        this.transferErrors = errors;
    }

    public DmaOps dmaOps() {
        return dmaOps;
    }

    public void setDmaOps(DmaOps dmaOps) {
        this.dmaOps = dmaOps;
    }

    /** {@code dma_get_max_seg_size}: the longest segment a scatter-gather map may build for it. */
    public long maxSegSize() {
        return maxSegSize;
    }

    /** {@code dma_set_max_seg_size}, as a driver's probe calls it (nvme: 0xffffffff). */
    public void setMaxSegSize(long bytes) {
        if (bytes < 1 || bytes > MAX_SEG_SIZE_LIMIT) {
            throw new IllegalArgumentException("max segment size " + bytes + " bytes; allowed 1.." + MAX_SEG_SIZE_LIMIT);
        }
        maxSegSize = bytes;
    }

    /** How the device's own DMA reaches memory: the platform's translation, its IOTLB included. */
    public DeviceTranslation translation() {
        return translation;
    }

    public void setTranslation(DeviceTranslation translation) {
        this.translation = translation;
    }

    /** How the driver's register writes reach the device. */
    public Mmio mmio() {
        return mmio;
    }

    public void setMmio(Mmio mmio) {
        this.mmio = mmio;
    }

    @Override
    public String toString() {
        return name;
    }
}
