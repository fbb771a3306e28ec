package org.iommulab.platform.virtio;

/**
 * What a virtio-iommu guest driver and its host did.
 *
 * @param kicks virtqueue notifications, each a VM exit
 * @param mapRequests MAP requests queued
 * @param unmapRequests UNMAP requests queued
 * @param otherRequests ATTACH and DETACH requests
 * @param queueFullSyncs syncs forced by a full request queue
 * @param hostMapCalls vfio MAP_DMA ioctls, one per power-of-two piece and endpoint
 * @param hostUnmapCalls vfio UNMAP_DMA ioctls
 * @param hostPagesMapped 4 KiB pages those ioctls mapped
 * @param hostPagesUnmapped 4 KiB pages those ioctls unmapped
 * @param hostErrors requests the device completed with an error status (the guest ignores those of
 *     queued MAP and UNMAP requests)
 */
public record VirtioIommuStats(
        long kicks,
        long mapRequests,
        long unmapRequests,
        long otherRequests,
        long queueFullSyncs,
        long hostMapCalls,
        long hostUnmapCalls,
        long hostPagesMapped,
        long hostPagesUnmapped,
        long hostErrors) {}
