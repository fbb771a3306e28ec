package org.iommulab.dma;

import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;

/** The three invalidation schemes under test, with queues small enough to fill and wrap often. */
enum FlushMode {
    STRICT(IommuBootParams.defaults().withStrict(true), null, DomainType.DMA),
    PER_CPU(IommuBootParams.defaults(), DmaIommuOptions.checked(QueueType.PER_CPU, 8, 1), DomainType.DMA_FQ),
    SINGLE(IommuBootParams.defaults(), DmaIommuOptions.checked(QueueType.SINGLE, 32, 2), DomainType.DMA_FQ);

    final IommuBootParams params;
    final DmaIommuOptions options;
    final DomainType type;

    FlushMode(IommuBootParams params, DmaIommuOptions options, DomainType type) {
        this.params = params;
        this.options = options;
        this.type = type;
    }
}
