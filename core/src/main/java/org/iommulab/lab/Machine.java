package org.iommulab.lab;

import org.iommulab.kernel.Device;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.HypervisorCounts;
import org.iommulab.stats.MemoryUse;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.RpcitCounts;

/**
 * The platform and DMA layer beneath a workload, assembled for one run, and what they counted.
 * One implementation per kind of platform; {@link Machines#build} picks it.
 */
interface Machine {

    /** The devices the workload drives, each with its DMA ops set. */
    Device[] devices();

    /** The name of the hypervisor profile in use, or null where there is none. */
    String hvProfile();

    RpcitCounts rpcit();

    PageCounts pages();

    FlushQueueCounts flushQueue();

    HypervisorCounts hypervisor();

    MemoryUse memory();
}
