package org.iommulab.workload;

import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cost;

/** What a {@link RequestSlot} sends: the next request's buffers and the device that moves them. */
interface RequestSource {

    /** Refills {@code sg} with the next request's segments; returns its DMA direction. */
    DmaDirection next(ScatterList sg);

    /**
     * The device takes the mapped request at {@code atNs}, spending {@code translationNs} of its
     * own time on IOTLB misses; returns when it completes.
     */
    long transfer(long atNs, ScatterList sg, DmaDirection dir, long translationNs);

    /** The driver's CPU work per attempt to issue a request. */
    Cost driverCost();
}
