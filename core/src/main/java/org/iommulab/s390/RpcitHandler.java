package org.iommulab.s390;

import org.iommulab.sim.Cpu;

/**
 * What executes a guest's RPCIT beneath it: LPAR firmware, or a hypervisor's intercept handler
 * (QEMU's {@code rpcit_service_call}, z/VM). It runs on the guest CPU that issued the instruction
 * and spends there whatever the refresh costs. It also learns when a function's tables change.
 */
public interface RpcitHandler {

    /**
     * Refreshes the translations of {@code fn} for {@code [dmaAddr, dmaAddr + length)}.
     *
     * @return the condition code and status the instruction ends with
     */
    RpcitResult rpcit(Cpu cpu, ZpciFunction fn, long dmaAddr, long length);

    /**
     * {@code fn} registered or unregistered its I/O address translation tables (MPCIFC, as
     * {@code zpci_register_ioat}/{@code zpci_unregister_ioat} issue it): whatever the platform
     * cached for the previous tables is dropped. Nothing by default.
     */
    default void ioatChanged(ZpciFunction fn) {}
}
