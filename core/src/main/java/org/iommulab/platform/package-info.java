/**
 * The machines beneath the guest, one subpackage each: s390 LPAR firmware ({@code lpar}), the
 * shadowing hypervisors KVM/QEMU and z/VM for s390 ({@code shadow}), QEMU's virtio-iommu and
 * virtual VT-d with vfio ({@code qemu}) and the device's IOTLB ({@code device}). Each implements
 * an interface its guest driver defines; the guest drivers themselves are siblings of the kernel
 * core, as in drivers/iommu ({@code s390}, {@code intel}, {@code virtio}, {@code arm},
 * {@code ideal}). {@link org.iommulab.platform.PlatformKind} names the platforms.
 */
package org.iommulab.platform;
