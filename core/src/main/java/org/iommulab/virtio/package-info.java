/**
 * drivers/iommu/virtio-iommu.c (with the v6.8 deferred-flush and {@code iotlb_sync_map} changes):
 * MAP and UNMAP requests on a virtqueue, kicked by the driver's sync operations, which the device
 * on the host carries out ({@link org.iommulab.virtio.VirtioIommuBackend}; QEMU's virtio-iommu
 * with vfio in {@code platform.qemu}).
 */
package org.iommulab.virtio;
