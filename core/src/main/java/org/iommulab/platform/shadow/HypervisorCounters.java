package org.iommulab.platform.shadow;

/**
 * The running counts behind {@link HypervisorStats}. Changed only under the hypervisor's global
 * lock; read them after a run or under that lock.
 */
final class HypervisorCounters {
    long exits;
    long pciStores;
    long pagesWalked;
    long guestTableLoads;
    long shadowLookups;
    long hostMaps;
    long hostUnmapCalls;
    long hostUnmapPages;
    long emptyHostUnmapCalls;
    long skippedMaps;
    long secondPasses;
    long insufficientResources;
    long shadowEntries;
    long peakShadowEntries;

    void shadowAdded() {
        shadowEntries++;
        peakShadowEntries = Math.max(peakShadowEntries, shadowEntries);
    }

    void shadowRemoved(long pages) {
        shadowEntries -= pages;
    }

    HypervisorStats snapshot() {
        return new HypervisorStats(exits, pciStores, pagesWalked, guestTableLoads, shadowLookups, hostMaps, hostUnmapCalls,
                hostUnmapPages, emptyHostUnmapCalls, skippedMaps, secondPasses, insufficientResources,
                shadowEntries, peakShadowEntries);
    }
}
