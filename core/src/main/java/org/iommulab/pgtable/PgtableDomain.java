package org.iommulab.pgtable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.iommulab.fault.FaultAttr;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * A paging domain over an {@link IoPgtable}, as VT-d and SMMUv3 domains are over io-pgtable: the
 * table, the attached devices, map, unmap and lookups are the same; what a driver adds is how it
 * invalidates ({@code flush_iotlb_all}, {@code iotlb_sync}, {@code iotlb_sync_map}) and how its
 * device translates through its caches.
 */
public abstract class PgtableDomain implements IommuDomainOps {

    /** What {@link #translate} returns when the device's access faults. */
    public static final long FAULT = IoPgtable.FAULT;

    protected final IoPgtable pgtable;
    private final Set<Device> devices = ConcurrentHashMap.newKeySet();

    /**
     * @param tableAlloc what allocating a table page costs
     * @param gathersEachPage whether an unmap gathers page by page (io-pgtable-arm) or the whole
     *     range at once (VT-d)
     * @param allocFaults when allocating a table fails
     */
    protected PgtableDomain(Cost tableAlloc, IommuTrace trace, boolean gathersEachPage, FaultAttr allocFaults) {
        this.pgtable = new IoPgtable(tableAlloc, trace, gathersEachPage, allocFaults);
    }

    @Override
    public int attachDev(Device dev) {
        devices.add(dev);
        return 0;
    }

    /**
     * Detaches {@code dev}: its DMA faults from now on, and the domain's cached entries go
     * ({@link #dropCachedEntries}, uncharged: detach is not on a measured path).
     */
    @Override
    public void detachDev(Device dev) {
        devices.remove(dev);
        dropCachedEntries();
    }

    /** Drops every entry the hardware caches for this domain. */
    protected abstract void dropCachedEntries();

    /** Whether a device is attached: a DMA without one faults. */
    protected boolean attached() {
        return !devices.isEmpty();
    }

    @Override
    public long mapPages(Cpu cpu, long iova, long paddr, long pgsize, long pgcount, int prot) {
        return pgtable.mapPages(cpu, iova, paddr, pgsize, pgcount, prot);
    }

    @Override
    public long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather) {
        return pgtable.unmapPages(cpu, iova, pgsize, pgcount, gather, this);
    }

    @Override
    public long iovaToPhys(long iova) {
        return pgtable.iovaToPhys(iova);
    }

    /**
     * A DMA by an attached device to {@code iova}: the physical address it reaches through the
     * hardware's caches or a table walk, or {@link #FAULT}.
     */
    public abstract long translate(long iova, boolean write);

    /** Translations that missed the hardware's cache and walked the tables. */
    public abstract long iotlbMisses();

    /** The entry at {@code level} (1 = leaf, 4 = root's entry) on the walk to {@code iova}, or 0. */
    public long tableEntry(long iova, int level) {
        return pgtable.entry(iova, level);
    }

    /** Memory the tables take, in bytes. */
    public long tableMemoryBytes() {
        return pgtable.table().memoryBytes();
    }

    @Override
    public DomainGeometry geometry() {
        return IoPgtable.GEOMETRY;
    }

    @Override
    public long pgsizeBitmap() {
        return IoPgtable.PAGE_SIZE;
    }

    /** Nothing left to do: detach already dropped the cached entries, and the tables go with the domain. */
    @Override
    public void free() {}
}
