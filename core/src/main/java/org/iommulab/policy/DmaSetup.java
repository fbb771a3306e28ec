package org.iommulab.policy;

import org.iommulab.dma.DeferredFlush;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.s390.legacy.LegacyDmaOptions;

/** How a policy configures the guest's DMA layer: dma-iommu, the old s390 DMA API, or no translation. */
public sealed interface DmaSetup {

    /**
     * dma-iommu over the platform's IOMMU driver.
     *
     * @param strict {@code iommu.strict=1}: a DMA domain, every unmap synced before its IOVA is freed
     * @param options the flush-queue options for every device, or null for the kernel's choice
     * @param queues builds each DMA-FQ domain's queues
     */
    record Iommu(boolean strict, DmaIommuOptions options, DeferredFlush.Factory queues) implements DmaSetup {

        /** The kernel's own setup: its queues, with {@code options} or its choice (null). */
        public static Iommu kernel(boolean strict, DmaIommuOptions options) {
            return new Iommu(strict, options, DeferredFlush.kernelQueues());
        }
    }

    /**
     * arch/s390/pci/pci_dma.c before v6.7, on s390 only.
     *
     * @param strict {@code s390_iommu=strict}: an RPCIT on every unmap instead of on wrap
     */
    record LegacyS390(boolean strict) implements DmaSetup {

        /** The DMA API's options for a guest of {@code memoryBytes}. */
        public LegacyDmaOptions options(long memoryBytes) {
            return strict ? LegacyDmaOptions.strictMode(memoryBytes) : LegacyDmaOptions.lazy(memoryBytes);
        }
    }

    /** dma-direct: bus address = physical address, no IOMMU or hypervisor in the DMA path. */
    record Direct() implements DmaSetup {}
}
