/**
 * IOMMU invalidation policies, one class each, and their registry: how a run's guest defers or
 * forces IOTLB invalidation. A policy says which platforms it runs on and how it configures the
 * kernel model (dma-iommu's boot parameters, flush-queue options and queueing, or the old s390
 * DMA API); the CLI, the benchmarks and the checkers iterate over {@link
 * org.iommulab.policy.Policies}. The kernel's own choices (strict, per-CPU and single flush queues
 * of drivers/iommu/dma-iommu.c, arch/s390/pci/pci_dma.c before v6.7) are policies like any other.
 */
package org.iommulab.policy;
