package org.iommulab.iommu;

import org.iommulab.sim.CachelineAligned;

/** The fields of an {@link IotlbGather}, which its CPU writes on every unmap, alone on their cache lines. */
abstract class IotlbGatherFields extends CachelineAligned {

    long start;
    long end;
    long pgsize;
    boolean queued;
}
