package org.iommulab.lab;

import java.util.Map;
import org.iommulab.fault.FaultInjector;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.kernel.MapFailure;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.HypervisorCounts;
import org.iommulab.stats.MemoryUse;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.RpcitCounts;

/**
 * The platform and DMA layer beneath a workload, assembled for one run, and what they counted.
 * One implementation per kind of platform; {@link Machines#build} picks it. The same assembly runs
 * in virtual time and on real threads: it only asks its {@link org.iommulab.sim.Engine} for CPUs,
 * locks and timers.
 */
public interface Machine {

    /** The devices the workload drives, each with its DMA ops set. */
    Device[] devices();

    /** The name of the hypervisor profile in use, or null where there is none. */
    String hvProfile();

    RpcitCounts rpcit();

    PageCounts pages();

    FlushQueueCounts flushQueue();

    HypervisorCounts hypervisor();

    MemoryUse memory();

    /** DMA maps that returned an error, by the step that failed. */
    Map<MapFailure, Long> mapErrorsByCause();

    /**
     * The device's hardware, plugged on first call, so runs that never look at it pay nothing for
     * it: on s390 an IOTLB of {@link #IOTLB_ENTRIES} entries starts tracking the function's RPCITs.
     */
    DeviceTranslation plugDevice();

    /** The bus addresses the DMA layer hands out: the domain's aperture, or the old scheme's range. */
    DomainGeometry aperture();

    /**
     * Flushes and maps the platform refused or failed so far, after which the device may reach
     * what the guest believes unmapped, or miss what it believes mapped: RPCITs answered out of
     * resources or with an error, virtio-iommu requests with an error status.
     */
    long platformRefusals();

    /** The failures injected into this machine, and how many so far. */
    FaultInjector faults();

    /** The flush queues in use (type, size, timeout), or null where unmaps flush at once or the old scheme runs. */
    DmaIommuOptions flushQueueOptions();

    /** IOTLB entries of the device {@link #plugDevice} plugs on s390. */
    int IOTLB_ENTRIES = 128;
}
