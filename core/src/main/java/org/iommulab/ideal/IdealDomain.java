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
import org.iommulab.sim.PerCpuCounts;

/**
 * A domain of the {@link IdealIommu}: an {@link IdealPageTable} from IOVA page to physical page,
 * flushes that only count themselves, and nothing spent. Tests can make {@code iotlb_sync_map}
 * fail, as s390's does under memory pressure, to exercise the core's undo path.
 *
 * <p>The calls every map and unmap make are counted per CPU ({@link PerCpuCounts}), so the DMA
 * layer's native benchmarks measure no shared counter of the driver's; the flushes, which a
 * native timer thread may make on behalf of a CPU, are counted in shared adders.
 */
public final class IdealDomain implements IommuDomainOps {

    private static final int MAP_PAGES = 0;
    private static final int UNMAP_PAGES = 1;
    private static final int SYNC_MAPS = 2;

    private final DomainGeometry geometry;
    private final long pgsizeBitmap;
    private final long granule;
    private final int granuleShift;
    private final IovaSafetyChecker checker;
    private final IommuTrace tracker;
    /** IOVA page number -> physical address of that page. */
    private final IdealPageTable pageTable;
    private final PerCpuCounts calls;
    private final LongAdder iotlbSyncs = new LongAdder();
    private final LongAdder flushAlls = new LongAdder();
    private final AtomicInteger syncMapFailures = new AtomicInteger();
    private volatile int syncMapErrno;

    IdealDomain(IdealIommu.Config config, IovaSafetyChecker checker, IommuTrace tracker) {
        this.geometry = config.geometry();
        this.pgsizeBitmap = config.pgsizeBitmap();
        this.granule = Long.lowestOneBit(pgsizeBitmap);
        this.granuleShift = Long.numberOfTrailingZeros(granule);
        this.pageTable = new IdealPageTable(geometry.apertureEnd() >>> granuleShift, config.pteLayout());
        this.calls = new PerCpuCounts(config.nrCpus(), SYNC_MAPS + 1);
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
        calls.add(cpu, MAP_PAGES, 1);
        if (checker != null) {
            checker.mapped(iova, size);
        }
        for (long off = 0; off < size; off += granule) {
            pageTable.set((iova + off) >>> granuleShift, paddr + off);
        }
        return size;
    }

    /** Clears pages up to the first that is not mapped and returns the bytes cleared, as io-pgtable does. */
    @Override
    public long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather) {
        long size = pgsize * pgcount;
        calls.add(cpu, UNMAP_PAGES, 1);
        long off = 0;
        while (off < size && pageTable.clear((iova + off) >>> granuleShift)) {
            off += granule;
        }
        if (off > 0) {
            if (checker != null) {
                checker.unmapped(iova, off);
            }
            if (tracker != IommuTrace.NONE) { // reading the clock is no free call natively
                tracker.unmapped(cpu.nowNs(), iova >>> granuleShift, off >>> granuleShift);
            }
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
        calls.add(cpu, SYNC_MAPS, 1);
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
        if (tracker != IommuTrace.NONE) {
            tracker.invalidated(cpu.nowNs(), gather.start() >>> granuleShift,
                    ((gather.end() - gather.start()) >>> granuleShift) + 1);
        }
    }

    @Override
    public long iovaToPhys(long iova) {
        long phys = pageTable.get(iova >>> granuleShift);
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
        return calls.sum(MAP_PAGES);
    }

    public long unmapPagesCalls() {
        return calls.sum(UNMAP_PAGES);
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
        return calls.sum(SYNC_MAPS);
    }

    /** The safety checker, or null when the driver was configured without one. */
    public IovaSafetyChecker checker() {
        return checker;
    }
}
