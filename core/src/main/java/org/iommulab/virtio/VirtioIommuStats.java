package org.iommulab.virtio;

/**
 * What a virtio-iommu guest driver did; what the host did in turn is the host's to count.
 *
 * @param kicks virtqueue notifications, each a VM exit
 * @param mapRequests MAP requests queued
 * @param unmapRequests UNMAP requests queued
 * @param otherRequests ATTACH and DETACH requests
 * @param queueFullSyncs syncs forced by a full request queue
 * @param errors requests the device completed with an error status (the guest ignores those of
 *     queued MAP and UNMAP requests)
 */
public record VirtioIommuStats(
        long kicks,
        long mapRequests,
        long unmapRequests,
        long otherRequests,
        long queueFullSyncs,
        long errors) {}
