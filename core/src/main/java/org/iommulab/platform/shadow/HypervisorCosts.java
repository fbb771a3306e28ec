package org.iommulab.platform.shadow;

import org.iommulab.sim.Cost;

/**
 * The cost keys one shadowing hypervisor charges, so KVM/QEMU and z/VM run the same model with
 * their own parameters.
 *
 * @param rpcitExit intercept, exit to the hypervisor, register sync and re-entry, per RPCIT
 * @param walkPage the guest-table loads for one 4 KiB page in a valid page table
 * @param shadowLookup one shadow lookup, per 4 KiB page of the refreshed range
 * @param hostMap one host map of one page (VFIO_IOMMU_MAP_DMA)
 * @param hostUnmap one host unmap call of one page or power-of-two chunk (VFIO_IOMMU_UNMAP_DMA)
 */
public record HypervisorCosts(Cost rpcitExit, Cost walkPage, Cost shadowLookup, Cost hostMap, Cost hostUnmap) {

    /** KVM with QEMU's zPCI intercept handling and vfio type1 on the host. */
    public static final HypervisorCosts KVM = new HypervisorCosts(
            Cost.KVM_RPCIT_EXIT, Cost.KVM_WALK_PAGE, Cost.KVM_SHADOW_LOOKUP, Cost.KVM_HOST_MAP, Cost.KVM_HOST_UNMAP);

    /** z/VM: its internals are not public, so each of its keys has an assumed default. */
    public static final HypervisorCosts ZVM = new HypervisorCosts(
            Cost.ZVM_RPCIT_EXIT, Cost.ZVM_WALK_PAGE, Cost.ZVM_SHADOW_LOOKUP, Cost.ZVM_HOST_MAP, Cost.ZVM_HOST_UNMAP);
}
