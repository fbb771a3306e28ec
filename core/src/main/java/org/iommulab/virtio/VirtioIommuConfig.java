package org.iommulab.virtio;

import org.iommulab.config.Records;
import org.iommulab.config.Reference;

/**
 * The parameters of a virtio-iommu device and of the guest driver's choice of flush queue.
 *
 * @param queueSize requests the request virtqueue holds before the driver must sync: its ring
 *     size, since each request takes one (indirect) descriptor. Default 256, QEMU's
 *     {@code VIOMMU_DEFAULT_QUEUE_SIZE}
 * @param pgsizeBitmap the device's {@code page_size_mask}; default every size from 4 KiB up, as
 *     QEMU advertises with a 4 KiB host page
 * @param inputBits the width of the input (IOVA) range; default 39, QEMU's {@code aw-bits} on q35
 * @param shadowOnFlush whether {@code probe_device} sets {@code shadow_on_flush}, so dma-iommu picks
 *     the single flush queue; upstream does not (default false)
 */
public record VirtioIommuConfig(int queueSize, long pgsizeBitmap, int inputBits, boolean shadowOnFlush) {

    public VirtioIommuConfig {
        if (queueSize < 1 || queueSize > 32768 || Integer.bitCount(queueSize) != 1) {
            throw new IllegalArgumentException("queueSize " + queueSize + " must be a power of 2 in 1..32768");
        }
        if ((pgsizeBitmap & 0xfffL) != 0 || pgsizeBitmap == 0) {
            throw new IllegalArgumentException(
                    "pgsizeBitmap 0x" + Long.toHexString(pgsizeBitmap) + " must be non-zero with no size below 4 KiB");
        }
        if (inputBits < 32 || inputBits > 64) {
            throw new IllegalArgumentException("inputBits " + inputBits + " must be 32..64");
        }
    }

    /** Queue of 256, all page sizes from 4 KiB, 39 input bits, no shadow_on_flush. */
    public static VirtioIommuConfig defaults() {
        return new VirtioIommuConfig(Reference.integer("iommus", "virtio", "queueSize"), ~0xfffL,
                Reference.integer("iommus", "virtio", "inputBits"), false);
    }

    /** This configuration with {@code shadow_on_flush} set or cleared. */
    public VirtioIommuConfig withShadowOnFlush(boolean on) {
        return Records.with(this, "shadowOnFlush", on);
    }

    /** This configuration with another queue size. */
    public VirtioIommuConfig withQueueSize(int size) {
        return Records.with(this, "queueSize", size);
    }
}
