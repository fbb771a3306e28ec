package org.iommulab.nativebench;

import java.util.function.LongSupplier;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.lab.Machine;

/**
 * What a stress run drives and watches: a device with its DMA ops, the hardware's view of its DMA
 * addresses, the aperture the ops must stay in, when unmaps become invisible, and how many flushes
 * and maps the platform refused ({@link Machine#platformRefusals}), after which pages may stay
 * reachable, or mapped pages unreachable, without any fault of the DMA layer.
 */
public record StressTarget(String name, Device dev, DeviceTranslation device, DomainGeometry aperture, FlushClock clock,
        LongSupplier refusedFlushes) {

    /** The machine's one device, with the device hardware plugged. */
    public static StressTarget of(String name, Machine machine) {
        Device dev = machine.devices()[0];
        return new StressTarget(name, dev, machine.plugDevice(), machine.aperture(), FlushClock.of(dev.dmaOps()),
                machine::platformRefusals);
    }
}
