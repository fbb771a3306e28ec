package org.iommulab.s390;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;

/**
 * The s390 IOMMU driver, {@code s390_iommu_ops} of drivers/iommu/s390-iommu.c (v6.7), with the
 * per-function setup of {@code zpci_init_iommu} and {@code s390_iommu_init}.
 *
 * <p>The kernel finds a device's function with {@code to_zpci_dev(dev)}; here functions are
 * registered with {@link #addFunction}, which also computes the function's aperture. Region-second
 * and region-first tables (added after v6.7) are not modelled: the tables span 4 TiB.
 */
public final class S390Iommu implements IommuDriver {

    private final long s390IommuAperture;
    private final TableMemory memory;
    private final ConcurrentHashMap<Device, ZpciFunction> functions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ZpciFunction, S390Domain> attached = new ConcurrentHashMap<>();

    /**
     * {@code s390_iommu_init}.
     *
     * @param memorySize the guest's memory in bytes ({@code high_memory})
     * @param apertureFactor {@code s390_iommu_aperture=}: the aperture is this many times the
     *     memory size; 0 means unlimited
     * @param memory where translation tables are allocated
     */
    public S390Iommu(long memorySize, int apertureFactor, TableMemory memory) {
        if (memorySize <= 0) {
            throw new IllegalArgumentException("memory size " + memorySize + " bytes; must be > 0");
        }
        if (apertureFactor < 0) {
            throw new IllegalArgumentException("s390_iommu_aperture=" + apertureFactor + "; must be >= 0");
        }
        this.s390IommuAperture = apertureFactor == 0 ? -1L : Math.multiplyExact(memorySize, (long) apertureFactor);
        this.memory = memory;
    }

    /** The aperture limit every function gets, unsigned ({@code ULONG_MAX} = -1 when unlimited). */
    public long s390IommuAperture() {
        return s390IommuAperture;
    }

    /**
     * {@code zpci_init_iommu}: registers {@code fn} with the driver, page-aligns its
     * {@code start_dma} and sets {@code end_dma} so the aperture is the smallest of the driver's
     * limit, what the 4 TiB tables reach above {@code start_dma} and the hardware range.
     */
    public void addFunction(ZpciFunction fn) {
        long start = (fn.startDma() + PciDma.PAGE_SIZE - 1) & PciDma.PAGE_MASK;
        long size = minUnsigned(s390IommuAperture,
                minUnsigned(PciDma.ZPCI_TABLE_SIZE_RT - start, fn.endDma() - start + 1));
        fn.setDmaRange(start, start + size - 1);
        if (functions.putIfAbsent(fn.device(), fn) != null) {
            throw new IllegalArgumentException("device " + fn.device() + " already has a zPCI function");
        }
    }

    /** The function of {@code dev}, or null. */
    public ZpciFunction function(Device dev) {
        return functions.get(dev);
    }

    @Override
    public String name() {
        return "s390-iommu";
    }

    /** DEFERRED_FLUSH for every function except ISM, which therefore stays strict. */
    @Override
    public boolean capable(Device dev, IommuCap cap) {
        return switch (cap) {
            case CACHE_COHERENCY -> true;
            case DEFERRED_FLUSH -> !function(dev).isIsm();
        };
    }

    /** Sets {@code shadow_on_flush} for functions with {@code tlb_refresh}. */
    @Override
    public int probeDevice(Device dev) {
        ZpciFunction fn = function(dev);
        if (fn == null) {
            return -Errno.ENODEV;
        }
        if (fn.tlbRefresh()) {
            dev.iommu().setShadowOnFlush(true);
        }
        return 0;
    }

    /** A domain with an empty region-third table, or null when no table memory is left. */
    @Override
    public IommuDomainOps domainAllocPaging(Device dev) {
        DmaTable table = DmaTable.alloc(memory);
        return table == null ? null : new S390Domain(this, table);
    }

    /** {@code [0, start_dma)} and {@code (end_dma, 4 TiB)}, where not empty. */
    @Override
    public List<ReservedRegion> getResvRegions(Device dev) {
        ZpciFunction fn = function(dev);
        List<ReservedRegion> regions = new ArrayList<>(2);
        if (fn.startDma() != 0) {
            regions.add(new ReservedRegion(0, fn.startDma(), ReservedRegion.Type.RESERVED));
        }
        long max = PciDma.ZPCI_TABLE_SIZE_RT - 1;
        if (Long.compareUnsigned(fn.endDma(), max) < 0) {
            regions.add(new ReservedRegion(fn.endDma() + 1, max - fn.endDma(), ReservedRegion.Type.RESERVED));
        }
        return regions;
    }

    /** The domain {@code fn} is attached to, or null ({@code zdev->s390_domain}). */
    S390Domain attachedDomain(ZpciFunction fn) {
        return attached.get(fn);
    }

    void setAttachedDomain(ZpciFunction fn, S390Domain domain) {
        if (domain == null) {
            attached.remove(fn);
        } else {
            attached.put(fn, domain);
        }
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
