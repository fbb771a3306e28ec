package org.iommulab.lab;

import org.iommulab.kernel.Device;
import org.iommulab.platform.x86.X86Iommu;
import org.iommulab.platform.x86.X86IommuConfig;
import org.iommulab.platform.x86.X86IommuDomain;
import org.iommulab.sim.VirtualEngine;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.HypervisorCounts;
import org.iommulab.stats.MemoryUse;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.RpcitCounts;
import org.iommulab.stats.StaleWindowTracker;

/** x86 bare metal: a VT-d / AMD-Vi style IOMMU, no hypervisor in the DMA path. */
final class X86Machine implements Machine {

    private final Device dev = new Device("nvme0");
    private final X86Iommu driver;
    private final DmaLayer dmaLayer;
    private final StaleWindowTracker tracker;

    X86Machine(VirtualEngine engine, Scenario s, StaleWindowTracker tracker) {
        this.driver = new X86Iommu(engine, X86IommuConfig.defaults(), tracker);
        this.dmaLayer = DmaLayer.attach(engine, driver, dev, s, false);
        this.tracker = tracker;
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
        return dmaLayer.pages(tracker);
    }

    @Override
    public FlushQueueCounts flushQueue() {
        return dmaLayer.flushQueue();
    }

    @Override
    public HypervisorCounts hypervisor() {
        return HypervisorCounts.NONE;
    }

    @Override
    public MemoryUse memory() {
        return new MemoryUse(dmaLayer.iovaBytes(), ((X86IommuDomain) dmaLayer.dmaIommu().domain().ops()).tableMemoryBytes());
    }
}
