package org.iommulab.platform.shadow;

/**
 * Told when the host unmaps a range from a function's host IOMMU mappings (and flushes the host
 * IOTLB for it), i.e. when the device can no longer reach it: a device IOTLB to invalidate, a
 * stale-window tracker to close windows.
 */
@FunctionalInterface
public interface HostUnmapListener {

    /** {@code [iova, iova + size)} is unreachable from {@code nowNs} on. */
    void hostUnmapped(long nowNs, long iova, long size);
}
