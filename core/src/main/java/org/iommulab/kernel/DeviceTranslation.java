package org.iommulab.kernel;

import java.util.function.LongSupplier;

/**
 * The hardware behind a device as it reaches memory: each DMA address goes through the platform's
 * translation (an IOTLB over the guest's tables on LPAR, the hypervisor's shadow on z/VM and KVM,
 * the host IOMMU behind virtio-iommu, the VT-d IOTLB and tables on x86). Workloads' transfers and
 * the invariant checkers both go through it.
 */
public interface DeviceTranslation {

    /** No IOMMU: a bus address is the physical address, and nothing is ever cached or missed. */
    DeviceTranslation IDENTITY = uncached((iova, write) -> iova);

    /** One translation of a DMA access: the physical address, or a negative value for a fault. */
    @FunctionalInterface
    interface Lookup {
        long translate(long iova, boolean write);
    }

    /** A translation without an IOTLB of its own (or one not modelled): no access counts as a miss. */
    static DeviceTranslation uncached(Lookup lookup) {
        return of(lookup, () -> 0);
    }

    /** {@code lookup}, with its hardware's IOTLB misses counted by {@code misses}. */
    static DeviceTranslation of(Lookup lookup, LongSupplier misses) {
        return new DeviceTranslation() {
            @Override
            public long translate(long iova, boolean write) {
                return lookup.translate(iova, write);
            }

            @Override
            public long iotlbMisses() {
                return misses.getAsLong();
            }
        };
    }

    /**
     * A DMA access to {@code iova}.
     *
     * @return the physical address reached, or a negative value when the access faults
     */
    long translate(long iova, boolean write);

    /** Translations so far that the IOTLB did not hold and the hardware had to walk. */
    long iotlbMisses();
}
