package org.iommulab.platform.qemu;

/**
 * What QEMU's emulated VT-d did for the guest's invalidations under caching mode.
 *
 * @param exits queue-tail writes that exited to QEMU, one per invalidation
 * @param entriesWalked guest table entries its page walks read
 * @param hostMaps vfio maps, one page each
 * @param hostUnmaps vfio unmaps, one page each
 * @param peakShadowEntries the most pages shadowed at once
 */
public record VirtualVtdStats(long exits, long entriesWalked, long hostMaps, long hostUnmaps, long peakShadowEntries) {}
