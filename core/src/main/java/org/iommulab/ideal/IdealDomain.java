package org.iommulab.ideal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cpu;

/**
 * A domain of the {@link IdealIommu}: an {@link IdealPageTable} from IOVA page to physical page,
 * flushes that only count themselves, and nothing spent. Tests can make {@code iotlb_sync_map}
 * fail, as s390's does under memory pressure, to exercise the core's undo path.
 */
public final class IdealDomain implements IommuDomainOps {

    private final DomainGeometry geometry;
    private final long pgsizeBitmap;
    private final long granule;
    private final IovaSafetyChecker checker;
    private final IommuTrace tracker;
    /** IOVA page number -> physical address of that page. */
    private final IdealPageTable pageTable = new IdealPageTable();
    private final LongAdder mapPagesCalls = new LongAdder();
    private final LongAdder unmapPagesCalls = new LongAdder();
    private final LongAdder iotlbSyncs = new LongAdder();
    private final LongAdder flushAlls = new LongAdder();
    private final LongAdder syncMaps = new LongAdder();
    private final AtomicInteger syncMapFailures = new AtomicInteger();
    private volatile int syncMapErrno;

    IdealDomain(DomainGeometry geometry, long pgsizeBitmap, IovaSafetyChecker checker, IommuTrace tracker) {
        this.geometry = geometry;
        this.pgsizeBitmap = pgsizeBitmap;
        this.granule = Long.lowestOneBit(pgsizeBitmap);
        this.checker = checker;
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
    }

    @Override
    public int attachDev(Device dev) {
        return 0;
    }

    @Override
    public void detachDev(Device dev) {
        // nothing is registered with hardware
    }

    @Override
    public long mapPages(Cpu cpu, long iova, long paddr, long pgsize, long pgcount, int prot) {
        long size = pgsize * pgcount;
        if (Long.compareUnsigned(iova, geometry.apertureStart()) < 0
                || Long.compareUnsigned(iova + size - 1, geometry.apertureEnd()) > 0) {
            return -Errno.EINVAL;
        }
        mapPagesCalls.increment();
        if (checker != null) {
            checker.mapped(iova, size);
        }
        for (long off = 0; off < size; off += granule) {
            pageTable.set(cpu.id(), (iova + off) / granule, paddr + off);
        }
        return size;
    }

    /** Clears pages up to the first that is not mapped and returns the bytes cleared, as io-pgtable does. */
    @Override
    public long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather) {
        long size = pgsize * pgcount;
        unmapPagesCalls.increment();
        long off = 0;
        while (off < size && pageTable.clear(cpu.id(), (iova + off) / granule)) {
            off += granule;
        }
        if (off > 0) {
            if (checker != null) {
                checker.unmapped(iova, off);
            }
            tracker.unmapped(cpu.nowNs(), iova / granule, off / granule);
            gather.addRange(iova, off);
        }
        return off;
    }

    @Override
    public void flushIotlbAll(Cpu cpu) {
        flushAlls.increment();
        if (checker != null) {
            checker.flushFinished(checker.flushStarted(), geometry.apertureStart(), geometry.apertureEnd());
        }
        tracker.invalidatedAll(cpu.nowNs());
    }

    @Override
    public int iotlbSyncMap(Cpu cpu, long iova, long size) {
        syncMaps.increment();
        if (syncMapFailures.get() > 0 && syncMapFailures.getAndDecrement() > 0) {
            return syncMapErrno;
        }
        return 0;
    }

    @Override
    public void iotlbSync(Cpu cpu, IotlbGather gather) {
        iotlbSyncs.increment();
        if (gather.isEmpty()) {
            return;
        }
        if (checker != null) {
            checker.flushFinished(checker.flushStarted(), gather.start(), gather.end());
        }
        tracker.invalidated(cpu.nowNs(), gather.start() / granule, (gather.end() - gather.start()) / granule + 1);
    }

    @Override
    public long iovaToPhys(long iova) {
        long phys = pageTable.get(iova / granule);
        return phys < 0 ? 0 : phys + (iova & (granule - 1));
    }

    @Override
    public DomainGeometry geometry() {
        return geometry;
    }

    @Override
    public long pgsizeBitmap() {
        return pgsizeBitmap;
    }

    @Override
    public void free() {
        pageTable.clearAll();
    }

    /** Makes the next {@code times} {@code iotlb_sync_map} calls return {@code errno} (negative). */
    public void failIotlbSyncMap(int errno, int times) {
        syncMapErrno = errno;
        syncMapFailures.set(times);
    }

    /** Pages now mapped. */
    public int mappedPages() {
        return pageTable.size();
    }

    public long mapPagesCalls() {
        return mapPagesCalls.sum();
    }

    public long unmapPagesCalls() {
        return unmapPagesCalls.sum();
    }

    /** {@code iotlb_sync} calls: ranged flushes, one per strict unmap. */
    public long iotlbSyncs() {
        return iotlbSyncs.sum();
    }

    /** {@code flush_iotlb_all} calls: the flush queues' domain-wide flushes. */
    public long flushAlls() {
        return flushAlls.sum();
    }

    public long syncMaps() {
        return syncMaps.sum();
    }

    /** The safety checker, or null when the driver was configured without one. */
    public IovaSafetyChecker checker() {
        return checker;
    }
}
