package org.iommulab.platform.virtio;

import org.iommulab.kernel.Errno;

/**
 * The status a virtio-iommu device writes into a request's tail ({@code VIRTIO_IOMMU_S_*}) and the
 * errno the guest turns it into ({@code viommu_get_req_errno}). Statuses whose errno the model has
 * no constant for (ENOSYS, ENOENT, EFAULT) come back as -EIO.
 */
enum VirtioIommuStatus {
    OK(0),
    IOERR(-Errno.EIO),
    UNSUPP(-Errno.EIO),
    DEVERR(-Errno.EIO),
    INVAL(-Errno.EINVAL),
    RANGE(-Errno.ERANGE),
    NOENT(-Errno.EIO),
    FAULT(-Errno.EIO),
    NOMEM(-Errno.ENOMEM);

    private final int errno;

    VirtioIommuStatus(int errno) {
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
