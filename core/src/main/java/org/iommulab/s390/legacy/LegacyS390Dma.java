package org.iommulab.s390.legacy;

import static org.iommulab.s390.PciDma.PAGE_MASK;
import static org.iommulab.s390.PciDma.PAGE_SHIFT;
import static org.iommulab.s390.PciDma.PAGE_SIZE;
import static org.iommulab.s390.PciDma.ZPCI_PTE_INVALID;
import static org.iommulab.s390.PciDma.ZPCI_PTE_VALID;
import static org.iommulab.s390.PciDma.ZPCI_PTE_VALID_MASK;
import static org.iommulab.s390.PciDma.ZPCI_TABLE_PROTECTED;
import static org.iommulab.s390.PciDma.ZPCI_TABLE_SIZE_RT;

import java.util.Map;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.MapFailure;
import org.iommulab.kernel.MapFailureCounts;
import org.iommulab.kernel.ScatterList;
import org.iommulab.s390.DmaTable;
import org.iommulab.s390.PciInsn;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.s390.ZpciIommuCtrs;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;

/**
 * The old s390 DMA API, {@code s390_pci_dma_ops} of arch/s390/pci/pci_dma.c (v5.10 to v6.6, removed
 * by the v6.7 conversion to dma-iommu), for one zPCI function: {@code zpci_dma_init_device},
 * {@code s390_dma_map_pages}, {@code s390_dma_unmap_pages}, {@code s390_dma_map_sg} and
 * {@code s390_dma_unmap_sg}, with {@code dma_update_trans} and {@code __dma_purge_tlb}.
 *
 * <p>IOVAs come from a {@link LegacyBitmapAllocator} over the aperture, one bit per 4 KiB page;
 * IOVA = {@code start_dma} + offset x 4 KiB. RPCIT policy: on map only when the function has
 * {@code tlb_refresh}; on unmap only in strict mode; in lazy mode freed IOVAs stay allocated and
 * reachable until the allocator wraps, which issues one global RPCIT and reclaims them. An RPCIT on
 * map that reports out of resources is answered, in lazy mode, by a global RPCIT and reclaiming the
 * lazily freed IOVAs, after which the map succeeds; in strict mode the map fails.
 *
 * <p>Counters go to the function's {@link ZpciIommuCtrs} under their debugfs names (the old
 * kernel had only the page counters; the RPCIT counters are those v6.7 added, counted where the
 * old code issued the same RPCITs). Unmapped pages are reported to the function's
 * {@link IommuTrace}; the RPCIT handler beneath reports when they became unreachable.
 * Time spent here: {@link Cost#DMA_MAP_CALL} per page map and per {@code map_sg} segment,
 * {@link Cost#DMA_UNMAP_CALL} per page unmap, bitmap words in the allocator, table updates in
 * {@link DmaTable} and RPCITs in whatever executes them.
 * Deliberate differences: a map of 0 bytes fails at once instead of passing through the
 * allocator; the kernel's error logging is not modelled.
 */
public final class LegacyS390Dma implements DmaOps {

    /** {@code dma_get_seg_boundary()} of a device without its own: 4 GiB. */
    public static final long DEFAULT_SEG_BOUNDARY_MASK = 0xffff_ffffL;

    private final Device device;
    private final ZpciFunction zdev;
    private final DmaTable dmaTable;
    private final boolean strict;
    private final long startDma;
    private final LegacyBitmapAllocator allocator;
    private final ZpciIommuCtrs ctrs;
    private final MapFailureCounts mapErrors = new MapFailureCounts();

    /**
     * {@code zpci_dma_init_device}: allocates the translation tables in {@code memory}, clips the
     * function's DMA range to the aperture, sizes the bitmaps from it and registers the tables.
     *
     * @throws IllegalStateException when {@code memory} has no room for the region-third table
     */
    public LegacyS390Dma(Engine engine, ZpciFunction zdev, TableMemory memory, LegacyDmaOptions options) {
        this.device = zdev.device();
        this.zdev = zdev;
        this.strict = options.strict();
        this.dmaTable = DmaTable.alloc(memory);
        if (dmaTable == null) {
            throw new IllegalStateException("no table memory for the DMA table of " + zdev);
        }
        this.startDma = pageAlign(zdev.startDma());
        long iommuSize = Math.min(options.apertureBytes(),
                Math.min(ZPCI_TABLE_SIZE_RT - startDma, zdev.endDma() - startDma + 1));
        long iommuPages = iommuSize >>> PAGE_SHIFT;
        zdev.setDmaRange(startDma, startDma + iommuSize - 1);
        long boundaryPages = (DEFAULT_SEG_BOUNDARY_MASK >>> PAGE_SHIFT) + 1;
        this.allocator = new LegacyBitmapAllocator(engine.newSpinLock(zdev + " iommu_bitmap_lock"),
                iommuPages, startDma >>> PAGE_SHIFT, boundaryPages, strict, this::zpciRefreshGlobal);
        this.ctrs = zdev.iommuCtrs();
        zdev.registerIoat(dmaTable);
    }

    @Override
    public long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs) {
        checkDevice(dev);
        cpu.spend(Cost.DMA_MAP_CALL);
        long nrPages = iommuNumPages(phys, size);
        if (nrPages == 0 || nrPages > allocator.iommuPages()) {
            mapErrors.add(MapFailure.INVALID_SIZE);
            return DMA_MAPPING_ERROR;
        }
        long offset = allocator.dmaAllocAddress(cpu, (int) nrPages);
        if (offset == LegacyBitmapAllocator.NO_SPACE) {
            mapErrors.add(MapFailure.IOVA_SPACE_EXHAUSTED);
            return DMA_MAPPING_ERROR;
        }
        long dmaAddr = startDma + (offset << PAGE_SHIFT);
        long flags = ZPCI_PTE_VALID | protection(dir);
        if (dmaUpdateTrans(cpu, phys & PAGE_MASK, dmaAddr, nrPages, flags) != 0) {
            allocator.dmaFreeAddress(cpu, offset, (int) nrPages);
            mapErrors.add(MapFailure.IOMMU_MAP_FAILED);
            return DMA_MAPPING_ERROR;
        }
        ctrs.addMappedPages(nrPages);
        return dmaAddr + (phys & ~PAGE_MASK);
    }

    /**
     * {@code s390_dma_unmap_pages}: invalidates the pages, issues RPCIT in strict mode and frees
     * the IOVAs. When the tables or the RPCIT fail the IOVAs are kept, as the kernel kept them.
     */
    @Override
    public void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir, long attrs) {
        checkDevice(dev);
        cpu.spend(Cost.DMA_UNMAP_CALL);
        long npages = iommuNumPages(dmaHandle, size);
        long dmaAddr = dmaHandle & PAGE_MASK;
        if (dmaAddr < startDma || npages < 1 || dmaAddr - startDma + (npages << PAGE_SHIFT) > iommuSize()) {
            throw new IllegalArgumentException(String.format(
                    "unmap of 0x%x+%d: outside the aperture [0x%x, 0x%x]", dmaHandle, size, startDma, zdev.endDma()));
        }
        if (dmaUpdateTransEntries(cpu, 0, dmaAddr, npages, ZPCI_PTE_INVALID) != 0) {
            return;
        }
        IommuTrace tracker = zdev.trace();
        tracker.unmapped(cpu.nowNs(), dmaAddr >>> PAGE_SHIFT, npages);
        if (dmaPurgeTlb(cpu, dmaAddr, npages, ZPCI_PTE_INVALID) != 0) {
            return;
        }
        ctrs.addUnmappedPages(npages);
        allocator.dmaFreeAddress(cpu, (dmaAddr - startDma) >>> PAGE_SHIFT, (int) npages);
    }

    /**
     * {@code s390_dma_map_sg}: consecutive entries are merged into one DMA segment (one IOVA area
     * and at most one RPCIT) while each further entry starts on a page boundary, the segment so far
     * ends on one, and the segment stays within the device's maximum segment size.
     *
     * @return the number of DMA segments, or -ENOMEM, -EIO or -EINVAL after unmapping what was mapped
     */
    @Override
    public int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        checkDevice(dev);
        int nents = sg.nents();
        sg.setDmaNents(0);
        if (nents == 0) {
            mapErrors.add(MapFailure.INVALID_SIZE);
            return -Errno.EINVAL;
        }
        long maxSegSize = dev.maxSegSize();
        int start = 0;
        int count = 0;
        long offset = sg.phys(0) & ~PAGE_MASK;
        long size = offset + sg.length(0);
        for (int i = 1; i < nents; i++) {
            long entryOffset = sg.phys(i) & ~PAGE_MASK;
            if (entryOffset != 0 || (size & ~PAGE_MASK) != 0 || size + sg.length(i) > maxSegSize) {
                long base = mapSgSegment(cpu, sg, start, size, dir);
                if (base < 0) {
                    return unmapSgSegments(cpu, sg, count, dir, attrs, (int) base);
                }
                sg.setDma(count++, base + offset, (int) (size - offset));
                offset = entryOffset;
                size = entryOffset;
                start = i;
            }
            size += sg.length(i);
        }
        long base = mapSgSegment(cpu, sg, start, size, dir);
        if (base < 0) {
            return unmapSgSegments(cpu, sg, count, dir, attrs, (int) base);
        }
        sg.setDma(count++, base + offset, (int) (size - offset));
        sg.setDmaNents(count);
        return count;
    }

    /** {@code s390_dma_unmap_sg}: unmaps every DMA segment of the last {@link #mapSg}. */
    @Override
    public void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        checkDevice(dev);
        for (int i = 0; i < sg.dmaNents(); i++) {
            if (sg.dmaLength(i) != 0) {
                unmapPage(cpu, dev, sg.dmaAddress(i), sg.dmaLength(i), dir, attrs);
            }
            sg.setDma(i, 0, 0);
        }
        sg.setDmaNents(0);
    }

    /** The error path of {@code s390_dma_map_sg}: unmaps the {@code count} segments already mapped. */
    private int unmapSgSegments(Cpu cpu, ScatterList sg, int count, DmaDirection dir, long attrs, int ret) {
        for (int i = 0; i < count; i++) {
            unmapPage(cpu, device, sg.dmaAddress(i), sg.dmaLength(i), dir, attrs);
        }
        return ret;
    }

    /**
     * {@code __s390_dma_map_sg}: one IOVA area for entries {@code start..} covering {@code size}
     * bytes (the first entry's page offset included), every entry's pages mapped in turn, then one
     * purge over the whole area.
     *
     * @return the area's first DMA address, or a negative errno
     */
    private long mapSgSegment(Cpu cpu, ScatterList sg, int start, long size, DmaDirection dir) {
        cpu.spend(Cost.DMA_MAP_CALL);
        long nrPages = pagesFor(size);
        if (nrPages > allocator.iommuPages()) {
            mapErrors.add(MapFailure.INVALID_SIZE);
            return -Errno.ENOMEM;
        }
        long offset = allocator.dmaAllocAddress(cpu, (int) nrPages);
        if (offset == LegacyBitmapAllocator.NO_SPACE) {
            mapErrors.add(MapFailure.IOVA_SPACE_EXHAUSTED);
            return -Errno.ENOMEM;
        }
        long base = startDma + (offset << PAGE_SHIFT);
        long flags = ZPCI_PTE_VALID | protection(dir);
        long dmaAddr = base;
        int ret = 0;
        for (int i = start; dmaAddr < base + size; i++) {
            long span = (sg.phys(i) & ~PAGE_MASK) + sg.length(i);
            ret = dmaUpdateTransEntries(cpu, sg.phys(i) & PAGE_MASK, dmaAddr, pagesFor(span), flags);
            if (ret != 0) {
                break;
            }
            dmaAddr += span;
        }
        if (ret == 0) {
            ret = dmaPurgeTlb(cpu, base, nrPages, flags);
        }
        if (ret != 0) {
            mapErrors.add(MapFailure.IOMMU_MAP_FAILED);
            if (dmaAddr > base) {
                dmaUpdateTrans(cpu, 0, base, pagesFor(dmaAddr - base), ZPCI_PTE_INVALID);
            }
            allocator.dmaFreeAddress(cpu, offset, (int) nrPages);
            return ret;
        }
        ctrs.addMappedPages(nrPages);
        return base;
    }

    /**
     * {@code dma_update_trans}: writes the entries, then purges; when a new mapping cannot be
     * purged its entries are invalidated again.
     */
    private int dmaUpdateTrans(Cpu cpu, long pa, long dmaAddr, long nrPages, long flags) {
        int rc = dmaUpdateTransEntries(cpu, pa, dmaAddr, nrPages, flags);
        if (rc != 0) {
            return rc;
        }
        rc = dmaPurgeTlb(cpu, dmaAddr, nrPages, flags);
        if (rc != 0 && isValid(flags)) {
            dmaUpdateTransEntries(cpu, pa, dmaAddr, nrPages, ZPCI_PTE_INVALID);
        }
        return rc;
    }

    /**
     * {@code __dma_update_trans}: sets {@code nrPages} entries from {@code dmaAddr} to consecutive
     * frames from {@code pa}; when a table cannot be allocated, a new mapping is undone.
     *
     * @return 0 or -ENOMEM
     */
    private int dmaUpdateTransEntries(Cpu cpu, long pa, long dmaAddr, long nrPages, long flags) {
        for (long i = 0; i < nrPages; i++) {
            long off = i << PAGE_SHIFT;
            if (!dmaTable.updateCpuTrans(cpu, dmaAddr + off, pa + off, flags)) {
                if (isValid(flags)) {
                    for (long j = i - 1; j >= 0; j--) {
                        dmaTable.updateCpuTrans(cpu, dmaAddr + (j << PAGE_SHIFT), pa + (j << PAGE_SHIFT),
                                ZPCI_PTE_INVALID);
                    }
                }
                return -Errno.ENOMEM;
            }
        }
        return 0;
    }

    /**
     * {@code __dma_purge_tlb}: the RPCIT after a table update, issued only for new mappings of a
     * {@code tlb_refresh} function and for unmaps in strict mode. In lazy mode an out-of-resources
     * answer is met with a global refresh, after which the lazily freed IOVAs are reclaimed and
     * the purge counts as done.
     *
     * @return 0, -ENOMEM or -EIO
     */
    private int dmaPurgeTlb(Cpu cpu, long dmaAddr, long nrPages, long flags) {
        if (isValid(flags)) {
            if (!zdev.tlbRefresh()) {
                return 0;
            }
            ctrs.incSyncMapRpcits();
        } else {
            if (!strict) {
                return 0;
            }
            ctrs.incSyncRpcits();
        }
        int ret = PciInsn.zpciRefreshTrans(cpu, zdev, dmaAddr, nrPages << PAGE_SHIFT);
        if (ret == -Errno.ENOMEM && !strict) {
            if (zpciRefreshGlobal(cpu) != 0) {
                return ret;
            }
            allocator.reclaimLazy(cpu);
            ret = 0;
        }
        return ret;
    }

    /** {@code zpci_refresh_global}: RPCIT over the whole aperture. */
    private int zpciRefreshGlobal(Cpu cpu) {
        ctrs.incGlobalRpcits();
        return PciInsn.zpciRefreshAll(cpu, zdev);
    }

    private void checkDevice(Device dev) {
        if (dev != device) {
            throw new IllegalArgumentException("DMA ops of " + device + " called for device " + dev);
        }
    }

    private long iommuSize() {
        return allocator.iommuPages() << PAGE_SHIFT;
    }

    /** The function these ops map for. */
    public ZpciFunction zdev() {
        return zdev;
    }

    public DmaTable dmaTable() {
        return dmaTable;
    }

    public boolean strict() {
        return strict;
    }

    /** Maps that returned an error, by the step that failed. */
    public Map<MapFailure, Long> mapErrorsByCause() {
        return mapErrors.snapshot();
    }

    /** How often the allocator wrapped (in lazy mode, each with one global RPCIT). */
    public long wraps() {
        return allocator.wraps();
    }

    /** The IOVA allocator, for statistics and tests. */
    public LegacyBitmapAllocator allocator() {
        return allocator;
    }

    private static long protection(DmaDirection dir) {
        return dir.deviceWrites() ? 0 : ZPCI_TABLE_PROTECTED;
    }

    private static boolean isValid(long flags) {
        return (flags & ZPCI_PTE_VALID_MASK) == ZPCI_PTE_VALID;
    }

    /** {@code iommu_num_pages}: the 4 KiB pages {@code [addr, addr + len)} touches. */
    private static long iommuNumPages(long addr, long len) {
        return pagesFor((addr & ~PAGE_MASK) + len);
    }

    private static long pagesFor(long bytes) {
        return (bytes + PAGE_SIZE - 1) >>> PAGE_SHIFT;
    }

    private static long pageAlign(long addr) {
        return (addr + PAGE_SIZE - 1) & PAGE_MASK;
    }
}
