package org.iommulab.lab;

/**
 * The hardware behind a machine's device as it reaches memory: each DMA address goes through the
 * platform's translation (an IOTLB over the guest's tables on LPAR, the hypervisor's shadow on
 * z/VM and KVM, the host IOMMU behind virtio-iommu, the VT-d IOTLB and tables on x86). Invariant
 * checkers use it to see which page the device reaches at an address.
 */
@FunctionalInterface
public interface DeviceTranslation {

    /**
     * A DMA access to {@code iova}.
     *
     * @return the physical address reached, or a negative value when the access faults
     */
    long translate(long iova, boolean write);
}
