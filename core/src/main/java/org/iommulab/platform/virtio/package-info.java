/**
 * drivers/iommu/virtio-iommu.c (with the v6.8 deferred-flush and {@code iotlb_sync_map} changes)
 * and the host behind it: MAP and UNMAP requests on a virtqueue that the host (QEMU's
 * virtio-iommu with vfio) carries out in the host IOMMU, kicked by the driver's sync operations.
 */
package org.iommulab.platform.virtio;
