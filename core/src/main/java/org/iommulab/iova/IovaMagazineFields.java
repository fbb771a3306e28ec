package org.iommulab.iova;

import org.iommulab.sim.CachelineAligned;

/** The fields of an {@link IovaMagazine}, alone on their cache lines. */
abstract class IovaMagazineFields extends CachelineAligned {

    final long[] pfns = new long[IovaMagazine.IOVA_MAG_SIZE];
    int size;
    /** The next older magazine in a depot, or null. */
    IovaMagazine next;
}
