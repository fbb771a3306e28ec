package org.iommulab.policy;

import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.platform.PlatformKind;

/**
 * dma-iommu's DMA-FQ domain with the kernel's queues of one type: per-CPU (256 entries, 10 ms)
 * or the series' single queue (32768 entries, 1000 ms), either resized by the user.
 */
final class KernelQueuePolicy implements InvalidationPolicy {

    private final QueueType type;

    KernelQueuePolicy(QueueType type) {
        this.type = type;
    }

    @Override
    public String name() {
        return type == QueueType.PER_CPU ? "lazy-percpu" : "lazy-single";
    }

    @Override
    public String description() {
        DmaIommuOptions d = defaults();
        return "dma-iommu, DMA-FQ: " + (type == QueueType.PER_CPU ? "per-CPU flush queues" : "one flush queue")
                + " of " + d.fqSize() + " entries, flushed when full or after " + d.fqTimeoutMs() + " ms";
    }

    @Override
    public boolean takesQueueSettings() {
        return true;
    }

    @Override
    public DmaSetup setup(PlatformKind platform, QueueSettings settings) {
        DmaIommuOptions d = defaults();
        return DmaSetup.Iommu.kernel(false, DmaIommuOptions.checked(type, settings.sizeOr(d.fqSize()),
                settings.timeoutMsOr(d.fqTimeoutMs())));
    }

    private DmaIommuOptions defaults() {
        return type == QueueType.PER_CPU ? DmaIommuOptions.perCpuDefaults() : DmaIommuOptions.singleDefaults();
    }

    @Override
    public String toString() {
        return name();
    }
}
