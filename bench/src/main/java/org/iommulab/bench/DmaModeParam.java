package org.iommulab.bench;

/** The DMA modes the map+unmap benchmarks compare (public: JMH's generated code names it). */
public enum DmaModeParam {
    /** Lazy, per-CPU flush queues of 256 entries and 10 ms. */
    PERCPU,
    /** Lazy, one flush queue of 32768 entries and 1000 ms. */
    SINGLE,
    /** {@code iommu.strict=1}: every unmap syncs the IOTLB and frees its IOVA at once. */
    STRICT
}
