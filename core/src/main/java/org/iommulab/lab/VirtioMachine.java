package org.iommulab.lab;

import org.iommulab.kernel.Device;
import org.iommulab.platform.virtio.VirtioIommu;
import org.iommulab.platform.virtio.VirtioIommuConfig;
import org.iommulab.platform.virtio.VirtioIommuStats;
import org.iommulab.sim.VirtualEngine;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.HypervisorCounts;
import org.iommulab.stats.MemoryUse;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.RpcitCounts;
import org.iommulab.stats.StaleWindowTracker;

/**
 * A guest whose device sits behind a virtio-iommu, backed by vfio on the host. Each kick is an
 * exit to the VMM; the host's vfio calls are its hypervisor work. The driver sets
 * {@code shadow_on_flush} only when the scenario asks for the single queue explicitly, so
 * {@code auto} keeps upstream's behaviour.
 */
final class VirtioMachine implements Machine {

    private final Device dev = new Device("nvme0");
    private final VirtioIommu driver;
    private final DmaLayer dmaLayer;

    VirtioMachine(VirtualEngine engine, Scenario s, StaleWindowTracker tracker) {
        this.driver = new VirtioIommu(engine, VirtioIommuConfig.defaults(), tracker);
        this.dmaLayer = DmaLayer.attach(engine, driver, dev, s, false);
    }

    @Override
    public Device[] devices() {
        return new Device[] {dev};
    }

    @Override
    public String hvProfile() {
        return null;
    }

    @Override
    public RpcitCounts rpcit() {
        return RpcitCounts.NONE;
    }

    @Override
    public PageCounts pages() {
        VirtioIommuStats v = driver.stats();
        return new PageCounts(v.hostPagesMapped(), v.hostPagesUnmapped());
    }

    @Override
    public FlushQueueCounts flushQueue() {
        return dmaLayer.flushQueue();
    }

    @Override
    public HypervisorCounts hypervisor() {
        VirtioIommuStats v = driver.stats();
        return new HypervisorCounts(v.kicks(), 0, v.hostMapCalls(), v.hostUnmapCalls(), 0);
    }

    @Override
    public MemoryUse memory() {
        return new MemoryUse(dmaLayer.iovaBytes(), 0);
    }
}
