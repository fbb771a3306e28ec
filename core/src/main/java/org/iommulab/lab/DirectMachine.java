package org.iommulab.lab;

import java.util.Map;
import org.iommulab.dma.DmaDirect;
import org.iommulab.fault.FaultInjector;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.kernel.MapFailure;
import org.iommulab.platform.shadow.HypervisorProfile;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.HypervisorCounts;
import org.iommulab.stats.MemoryUse;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.RpcitCounts;

/**
 * Any platform without translation in the DMA path ({@code --dma direct}): the device's DMA ops
 * are dma-direct and it reaches physical addresses, so there is no IOVA, no table, no flush and,
 * under a hypervisor, no virtual IOMMU and so no exits for DMA. Register accesses go straight to
 * the device too. Nothing is ever stale.
 */
final class DirectMachine implements Machine {

    private final Device dev;
    /** The hypervisor the guest runs under, which its DMA no longer involves; null on bare metal. */
    private final String hvProfile;
    private final FaultInjector faults;

    /** @param faults only the device's errors apply: there is nothing else to fail */
    DirectMachine(Scenario s, FaultInjector faults) {
        this.faults = faults;
        this.dev = new Device(s.workload().deviceName());
        dev.setDmaOps(new DmaDirect());
        this.hvProfile = switch (s.platform()) {
            case KVM -> s.hvProfile() == null ? HypervisorProfile.DEFAULT.name() : s.hvProfile();
            case ZVM -> HypervisorProfile.ZVM.name();
            default -> null;
        };
    }

    @Override
    public Device[] devices() {
        return new Device[] {dev};
    }

    @Override
    public long platformRefusals() {
        return 0;
    }

    @Override
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public String hvProfile() {
        return hvProfile;
    }

    @Override
    public RpcitCounts rpcit() {
        return RpcitCounts.NONE;
    }

    @Override
    public PageCounts pages() {
        return new PageCounts(0, 0);
    }

    @Override
    public FlushQueueCounts flushQueue() {
        return FlushQueueCounts.NONE;
    }

    @Override
    public HypervisorCounts hypervisor() {
        return HypervisorCounts.NONE;
    }

    @Override
    public MemoryUse memory() {
        return new MemoryUse(0, 0);
    }

    @Override
    public Map<MapFailure, Long> mapErrorsByCause() {
        return Map.of();
    }

    @Override
    public DeviceTranslation plugDevice() {
        return DeviceTranslation.IDENTITY;
    }

    @Override
    public DomainGeometry aperture() {
        return new DomainGeometry(0, -1L, true);
    }

    @Override
    public DmaIommuOptions flushQueueOptions() {
        return null;
    }
}
