package org.iommulab.stats;

/**
 * The work a shadowing hypervisor did for the guest: intercepted RPCITs and PCI stores, guest table
 * pages walked, shadow lookups, host map and unmap calls (and the pages and empty calls among the
 * unmaps), and the peak number of shadow entries it held.
 */
public record HypervisorCounts(long exits, long pciStores, long pagesWalked, long shadowLookups, long hostMaps,
        long hostUnmaps, long hostUnmapPages, long emptyHostUnmaps, long shadowPeakEntries) {

    /** A platform with no hypervisor in the DMA path (LPAR, bare metal). */
    public static final HypervisorCounts NONE = new HypervisorCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
