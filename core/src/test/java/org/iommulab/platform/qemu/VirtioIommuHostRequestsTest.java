package org.iommulab.platform.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.fault.FaultAttr;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.iommulab.virtio.VirtioIommuBackend;
import org.iommulab.virtio.VirtioIommuRequest;
import org.iommulab.virtio.VirtioIommuStatus;
import org.junit.jupiter.api.Test;

/** The statuses the virtio-iommu device answers requests with, right and wrong, and the failures a fault injects. */
class VirtioIommuHostRequestsTest {

    private static final int RW = VirtioIommuRequest.MAP_F_READ | VirtioIommuRequest.MAP_F_WRITE;

    private final Cpu cpu = new ManualEngine(1).cpu(0);
    private final Device dev = new Device("nvme0");

    @Test
    void requestsForUnknownDomainsOverlapsAndSplitsAreRefusedAndChangeNothing() {
        VirtioIommuHost host = new VirtioIommuHost(null);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Map(1, 0x1000, 0x1fff, 0x40000, RW)))
                .isEqualTo(VirtioIommuStatus.NOENT);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Unmap(1, 0x1000, 0x1fff))).isEqualTo(VirtioIommuStatus.NOENT);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Detach(1, dev))).isEqualTo(VirtioIommuStatus.INVAL);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Attach(1, dev))).isEqualTo(VirtioIommuStatus.OK);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Map(1, 0x1000, 0x2fff, 0x40000, RW))).isEqualTo(VirtioIommuStatus.OK);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Map(1, 0x2000, 0x3fff, 0x80000, RW)))
                .as("overlaps the first").isEqualTo(VirtioIommuStatus.INVAL);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Unmap(1, 0x1000, 0x1fff)))
                .as("would split the mapping").isEqualTo(VirtioIommuStatus.RANGE);
        assertThat(host.translate(dev, 0x2800, true)).isEqualTo(0x41800);
        assertThat(host.errors()).isEqualTo(5);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Unmap(1, 0x0, 0xffff))).isEqualTo(VirtioIommuStatus.OK);
        assertThat(host.translate(dev, 0x2800, true)).isEqualTo(VirtioIommuBackend.FAULT);
        assertThat(host.pagesUnmapped()).isEqualTo(2);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Detach(1, dev))).isEqualTo(VirtioIommuStatus.OK);
        assertThat(host.translate(dev, 0x2800, false)).isEqualTo(VirtioIommuBackend.FAULT);
    }

    @Test
    void anInjectedFailureFailsOnlyMapsAndUnmapsAndTheyChangeNothing() {
        StaleWindowTracker tracker = new StaleWindowTracker();
        VirtioIommuHost host = new VirtioIommuHost(tracker, new FaultAttr(1, 3));
        assertThat(host.handle(cpu, new VirtioIommuRequest.Attach(1, dev))).as("attach never fails").isEqualTo(VirtioIommuStatus.OK);
        assertThat(host.handle(cpu, new VirtioIommuRequest.Map(1, 0x1000, 0x1fff, 0x40000, RW)))
                .isEqualTo(VirtioIommuStatus.DEVERR);
        assertThat(host.translate(dev, 0x1000, false)).isEqualTo(VirtioIommuBackend.FAULT);
        assertThat(host.vfioMaps()).isZero();
        assertThat(host.errors()).isEqualTo(1);
    }
}
