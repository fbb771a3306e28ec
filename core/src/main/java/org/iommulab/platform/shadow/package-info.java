/**
 * Paging hypervisors that shadow an s390 guest's DMA tables (KVM with QEMU by release, and a
 * z/VM profile): each RPCIT traps, the hypervisor walks the refreshed range of the guest tables
 * under its global lock, and maps or unmaps the changed pages in the host IOMMU; the shadow is
 * what the device reaches. Profiles name each release's aperture, DMA limit and refresh habits.
 */
package org.iommulab.platform.shadow;
