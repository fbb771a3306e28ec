package org.iommulab.virtio;

import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;

/**
 * The virtio-iommu device as the guest driver and the endpoint's DMA meet it: requests popped
 * from the request queue, and DMA translated by the host IOMMU. QEMU's side is a platform model
 * ({@link org.iommulab.platform.qemu.VirtioIommuHost}).
 */
public interface VirtioIommuBackend {

    /** What {@link #translate} returns when the device's access faults. */
    long FAULT = -1L;

    /** Handles one request popped from the request queue, on the kicking CPU's time. */
    VirtioIommuStatus handle(Cpu cpu, VirtioIommuRequest req);

    /** A DMA by {@code endpoint} to {@code iova}: the physical address it reaches, or {@link #FAULT}. */
    long translate(Device endpoint, long iova, boolean write);
}
