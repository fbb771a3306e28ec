package org.iommulab.platform.shadow;

import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * The cost keys one shadowing hypervisor charges, so KVM/QEMU and z/VM run the same model with
 * their own parameters. A null key is work that hypervisor does not do.
 *
 * @param rpcitExit the part of an intercept's exit and re-entry that runs in parallel on each vCPU
 * @param rpcitLocked the fixed part of an RPCIT handled under the global lock
 * @param lockHandoff what a contended global lock costs to pass to a sleeping waiter (QEMU's BQL
 *     is a mutex), or null for a lock the waiter spins on
 * @param walkPage the guest-table loads for one 4 KiB page in a valid page table
 * @param shadowLookup one shadow lookup, per 4 KiB page of the refreshed range
 * @param segmentScan checking one 1 MiB segment of the refreshed range for changes
 * @param hostMap mapping one newly valid page on the host (VFIO_IOMMU_MAP_DMA of one page)
 * @param hostUnmap one host unmap call that finds mappings, its host IOTLB flush included
 * @param hostUnmapPage each page such a call unpins and unmaps
 * @param hostEmptyUnmap one host unmap call over a range with nothing mapped
 * @param pciStore an intercepted PCI store handled under the global lock, for hypervisors
 *     without zPCI load/store interpretation
 */
public record HypervisorCosts(Cost rpcitExit, Cost rpcitLocked, Cost lockHandoff, Cost walkPage, Cost shadowLookup,
        Cost segmentScan, Cost hostMap, Cost hostUnmap, Cost hostUnmapPage, Cost hostEmptyUnmap, Cost pciStore) {

    /** KVM with QEMU's zPCI intercept handling and vfio type1 on the host. */
    public static final HypervisorCosts KVM = new HypervisorCosts(Cost.KVM_RPCIT_EXIT, Cost.KVM_RPCIT_LOCKED,
            Cost.KVM_BQL_HANDOFF, Cost.KVM_WALK_PAGE, Cost.KVM_SHADOW_LOOKUP, null, Cost.KVM_HOST_MAP, Cost.KVM_HOST_UNMAP,
            Cost.KVM_HOST_UNMAP_PAGE, Cost.KVM_HOST_EMPTY_UNMAP, Cost.KVM_PCI_STORE);

    /**
     * z/VM as assumed: no page walk and no lookups but a check per 1 MiB segment of the range, a
     * cost per changed entry and one hardware flush per resync that invalidated; its control program serialises with spin locks, so a waiter pays
     * no handoff.
     */
    public static final HypervisorCosts ZVM = new HypervisorCosts(Cost.ZVM_RPCIT_EXIT, Cost.ZVM_RPCIT_LOCKED,
            null, null, null, Cost.ZVM_SEGMENT_SCAN, Cost.ZVM_ENTRY_VALID, Cost.ZVM_HW_FLUSH, Cost.ZVM_ENTRY_INVALID, null, null);

    /** Spends {@code count} of {@code cost} on {@code cpu}, nothing for work this hypervisor does not do. */
    static void spend(Cpu cpu, Cost cost, long count) {
        if (cost != null && count > 0) {
            cpu.spend(cost, count);
        }
    }
}
