package org.iommulab.virtio;

import org.iommulab.kernel.Errno;

/**
 * The statuses the modelled device writes into a request's tail ({@code VIRTIO_IOMMU_S_*}) and the
 * errno the guest turns each into ({@code viommu_get_req_errno}). NOENT becomes -EIO because the
 * model has no ENOENT; DEVERR, an internal error of the device, comes only from an injected fault
 * ({@code --fault virtio-error}); the statuses for failures the model cannot have are left out.
 */
public enum VirtioIommuStatus {
    OK(0),
    INVAL(-Errno.EINVAL),
    RANGE(-Errno.ERANGE),
    NOENT(-Errno.EIO),
    DEVERR(-Errno.EIO);

    private final int errno;

    VirtioIommuStatus(int errno) {
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
