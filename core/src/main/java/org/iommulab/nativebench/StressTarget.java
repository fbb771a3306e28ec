package org.iommulab.nativebench;

import java.util.Map;
import java.util.function.LongSupplier;
import org.iommulab.fault.FaultKind;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.lab.Machine;

/**
 * What a stress run drives and watches: a device with its DMA ops, the hardware's view of its DMA
 * addresses, the aperture the ops must stay in, when unmaps become invisible, and how many flushes
 * the platform refused (a shadowing hypervisor out of resources, or an injected RPCIT or
 * virtio-iommu failure), after which pages may stay reachable without any fault of the DMA layer.
 */
public record StressTarget(String name, Device dev, DeviceTranslation device, DomainGeometry aperture, FlushClock clock,
        LongSupplier refusedFlushes) {

    /** The machine's one device, with the device hardware plugged. */
    public static StressTarget of(String name, Machine machine) {
        Device dev = machine.devices()[0];
        return new StressTarget(name, dev, machine.plugDevice(), machine.aperture(), FlushClock.of(dev.dmaOps()),
                () -> machine.rpcit().outOfResource() + refused(machine.faults().injected()));
    }

    /** Injected failures that can leave a flush undone. */
    private static long refused(Map<String, Long> injected) {
        return injected.get(FaultKind.RPCIT_OOR.cliName()) + injected.get(FaultKind.RPCIT_ERROR.cliName())
                + injected.get(FaultKind.VIRTIO_ERROR.cliName());
    }
}
