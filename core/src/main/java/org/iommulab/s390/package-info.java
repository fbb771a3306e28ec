/**
 * The s390 guest side of PCI DMA translation as of Linux v6.7: the three-level DMA translation
 * tables (arch/s390/pci/pci_dma.c table code, arch/s390/include/asm/pci_dma.h), the zPCI
 * function with its IOAT registration and RPCIT instruction (arch/s390/pci/pci_insn.c, with its
 * busy retry), and drivers/iommu/s390-iommu.c, the IOMMU driver that the series taught to answer
 * an RPCIT "out of resources" with a global refresh and a retry. The old DMA API that the series
 * replaced is {@code legacy}. The firmware or hypervisor beneath answers the function's
 * instructions ({@code platform.lpar}, {@code platform.shadow}).
 */
package org.iommulab.s390;
