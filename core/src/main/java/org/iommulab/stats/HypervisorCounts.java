package org.iommulab.stats;

import java.util.Map;

/**
 * The work a shadowing hypervisor did for the guest's flushes: intercepted exits, guest table
 * pages walked, host map and unmap calls, and the peak number of shadow entries it held.
 */
public record HypervisorCounts(long exits, long pagesWalked, long hostMaps, long hostUnmaps,
        long shadowPeakEntries) {

    /** A platform with no hypervisor in the DMA path (LPAR, bare metal). */
    public static final HypervisorCounts NONE = new HypervisorCounts(0, 0, 0, 0, 0);

    Map<String, Object> toMap() {
        return new JsonMap()
                .put("exits", exits)
                .put("pagesWalked", pagesWalked)
                .put("hostMaps", hostMaps)
                .put("hostUnmaps", hostUnmaps)
                .put("shadowPeakEntries", shadowPeakEntries)
                .map();
    }
}
