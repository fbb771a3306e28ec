/**
 * QEMU's emulated IOMMUs with a vfio device behind them: the virtio-iommu device
 * (hw/virtio/virtio-iommu.c) and VT-d in caching mode (hw/i386/intel_iommu.c), each shadowing
 * the guest's mappings into the host IOMMU through vfio. They implement the interfaces the guest
 * drivers define ({@code virtio.VirtioIommuBackend}, {@code intel.CachingModeHost}).
 */
package org.iommulab.platform.qemu;
