package org.iommulab.workload;

import org.iommulab.kernel.Device;

/** Checks of the devices a workload is started on. */
final class Devices {

    private Devices() {}

    /** @throws IllegalArgumentException when there is no device or one has no DMA ops */
    static void requireDmaOps(String workload, Device... devices) {
        if (devices.length == 0) {
            throw new IllegalArgumentException(workload + " needs at least one device; got none");
        }
        for (Device d : devices) {
            if (d.dmaOps() == null) {
                throw new IllegalArgumentException(workload + ": device " + d + " has no DMA ops; attach it to a platform first");
            }
        }
    }
}
