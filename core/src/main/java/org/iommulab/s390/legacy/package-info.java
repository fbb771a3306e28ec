/**
 * arch/s390/pci/pci_dma.c as of Linux v6.6, the s390 DMA API that the v6.7 series replaced: a
 * per-function bitmap allocator searched next-fit (lib/iommu-helper.c), whose freed addresses
 * wait in a lazy bitmap and become free again only when the search wraps, after one global RPCIT;
 * with {@code s390_iommu=strict} every unmap issues its own RPCIT instead.
 */
package org.iommulab.s390.legacy;
