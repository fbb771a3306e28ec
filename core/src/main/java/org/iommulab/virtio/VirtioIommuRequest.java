package org.iommulab.virtio;

import org.iommulab.kernel.Device;

/**
 * The virtio-iommu requests the model sends (include/uapi/linux/virtio_iommu.h,
 * {@code struct virtio_iommu_req_*}), without the wire format. Ranges are inclusive, as on the
 * wire.
 */
public sealed interface VirtioIommuRequest {

    /** {@code VIRTIO_IOMMU_MAP_F_READ}. */
    int MAP_F_READ = 1;
    /** {@code VIRTIO_IOMMU_MAP_F_WRITE}. */
    int MAP_F_WRITE = 1 << 1;

    /** {@code VIRTIO_IOMMU_T_ATTACH}. */
    record Attach(int domain, Device endpoint) implements VirtioIommuRequest {}

    /** {@code VIRTIO_IOMMU_T_DETACH}. */
    record Detach(int domain, Device endpoint) implements VirtioIommuRequest {}

    /** {@code VIRTIO_IOMMU_T_MAP}. */
    record Map(int domain, long virtStart, long virtEnd, long physStart, int flags) implements VirtioIommuRequest {}

    /** {@code VIRTIO_IOMMU_T_UNMAP}. */
    record Unmap(int domain, long virtStart, long virtEnd) implements VirtioIommuRequest {}
}
