/**
 * The radix I/O page tables that VT-d and Arm SMMUv3 (io-pgtable-arm) walk, their entry format and
 * the tagged hardware IOTLB in front of them: the parts the x86 and Arm drivers share.
 */
package org.iommulab.pgtable;
