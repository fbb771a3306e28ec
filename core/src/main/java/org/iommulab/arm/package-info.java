/**
 * Arm SMMUv3 on bare metal, as drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c (v6.7) drives it:
 * stage-1 domains tagged by ASID over io-pgtable-arm's 4-level tables, and invalidation through
 * the one command queue all CPUs share (slots reserved lock-free, commands batched 64 at a time,
 * one CMD_SYNC per batch submitted), with range invalidation when the SMMU has it and ATC
 * invalidation for ATS devices. What is modelled, from which source and what is assumed:
 * docs/platforms/smmuv3.md.
 */
package org.iommulab.arm;
