/**
 * The machines beneath the guest, one subpackage each: s390 LPAR firmware ({@code lpar}), the
 * shadowing hypervisors KVM/QEMU and z/VM ({@code shadow}), virtio-iommu over vfio
 * ({@code virtio}), x86 VT-d ({@code x86}), the device's IOTLB ({@code device}) and an ideal
 * IOMMU for tests ({@code ideal}). {@link org.iommulab.platform.PlatformKind} names them.
 */
package org.iommulab.platform;
