package org.iommulab.dma;

import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuDomain;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.iova.IovaDomain;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.MapFailure;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * {@code iommu_dma_ops} of drivers/iommu/dma-iommu.c (v6.7) for the device of one domain:
 * {@code map_page}, {@code unmap_page}, {@code map_sg} and {@code unmap_sg} over the domain's
 * IOVA allocator and page table, with strict or queued invalidation as the cookie decides.
 *
 * <p>Mapping: the buffer is widened to whole IOVA granules, an IOVA is allocated (below 4 GiB
 * first for a device that can address more, unless {@code iommu.forcedac}; after the first such
 * attempt fails the device stops trying, as {@code pci_32bit_workaround} does), and
 * {@code iommu_map} fills the page table. Every failure is {@link #DMA_MAPPING_ERROR} or a
 * negative errno, never an exception. Unmapping: the translations are cleared into a gather; a
 * domain without flush queues syncs it and frees the IOVA, a domain with them queues the IOVA.
 *
 * <p>Left out: swiotlb bouncing, cache maintenance for non-coherent devices, P2PDMA, and the
 * scatterlist segment-boundary padding (the default 4 GiB boundary never splits the model's
 * requests).
 */
public final class IommuDmaOps implements DmaOps {

    private static final long DMA_BIT_MASK_32 = 0xffff_ffffL;

    private final IommuDomain domain;
    private final IommuDmaCookie cookie;
    private final IovaDomain iovad;
    /** One gather per CPU, reused by every unmap on it (the kernel's is on the stack). */
    private final IotlbGather[] gathers;
    /** {@code dev->iommu->pci_32bit_workaround}: try below 4 GiB first; cleared on first failure. */
    private volatile boolean pci32bitWorkaround;
    /** Whether the rcache range is reported as {@code dma_opt_mapping_size}, as Linux does. */
    private final boolean optSizeCap;

    IommuDmaOps(IommuDomain domain, IommuDmaCookie cookie, int nrCpus, boolean forcedac, boolean optSizeCap) {
        this.domain = domain;
        this.optSizeCap = optSizeCap;
        this.cookie = cookie;
        this.iovad = cookie.iovad();
        this.pci32bitWorkaround = !forcedac;
        this.gathers = new IotlbGather[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            gathers[i] = new IotlbGather();
        }
    }

    public IommuDomain domain() {
        return domain;
    }

    /** The domain's type now: DMA (strict) or DMA-FQ. */
    public DomainType type() {
        return domain.type();
    }

    /** The flush-queue options chosen for this domain, whatever its type. */
    public DmaIommuOptions options() {
        return cookie.options();
    }

    /** What the domain did so far. */
    public DmaIommuSnapshot counters() {
        return cookie.counters();
    }

    /**
     * {@code fq_flush_start_cnt}: domain-wide flushes the flush queues began, 0 without queues. An
     * unmap that returned before this read {@code n} is covered once {@link #fqFlushFinishCnt}
     * exceeds {@code n}, the rule the queues free IOVAs by; for invariant checkers.
     */
    public long fqFlushStartCnt() {
        DeferredFlush fq = cookie.fqDomain();
        return fq == null ? 0 : fq.flushStartCount();
    }

    /** {@code fq_flush_finish_cnt}: domain-wide flushes the flush queues completed. */
    public long fqFlushFinishCnt() {
        DeferredFlush fq = cookie.fqDomain();
        return fq == null ? 0 : fq.flushFinishCount();
    }

    /** The IOVA allocator, for reports of its size and caches. */
    public IovaDomain iovad() {
        return iovad;
    }

    @Override
    public long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_MAP_CALL);
        if (size <= 0) {
            cookie.stats().mapFailed(MapFailure.INVALID_SIZE);
            return DMA_MAPPING_ERROR;
        }
        long iovaOff = iovad.iovaOffset(phys);
        long len = iovad.iovaAlign(size + iovaOff);
        long iova = allocIova(cpu, dev, len);
        if (iova == 0) {
            cookie.stats().mapFailed(allocFailure(dev));
            return DMA_MAPPING_ERROR;
        }
        if (domain.iommuMap(cpu, iova, phys - iovaOff, len, dmaInfoToProt(dir)) != 0) {
            cookie.freeIova(cpu, iova, len, null);
            cookie.stats().mapFailed(MapFailure.IOMMU_MAP_FAILED);
            return DMA_MAPPING_ERROR;
        }
        cookie.stats().mapped(cpu, len);
        return iova + iovaOff;
    }

    @Override
    public void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_UNMAP_CALL);
        // iommu_iova_to_phys first (for the CPU sync and swiotlb checks, which do not apply here);
        // a handle that translates to nothing is a driver bug: the kernel warns and unmaps nothing
        cpu.spend(Cost.PT_WALK);
        if (domain.ops().iovaToPhys(dmaHandle) == 0) {
            cookie.stats().unmapMismatches.increment();
            return;
        }
        unmap(cpu, dmaHandle, size);
        cookie.stats().unmapped(cpu);
    }

    /**
     * {@code iommu_dma_map_sg}: one IOVA for all segments, each widened to whole granules and laid
     * out back to back, then joined into as few DMA segments as stay contiguous and within the
     * device's {@code dma_get_max_seg_size}.
     *
     * @return the DMA segment count, -ENOMEM when no IOVA is left, else -EINVAL
     */
    @Override
    public int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_MAP_CALL);
        long iovaLen = 0;
        for (int i = 0; i < sg.nents(); i++) {
            iovaLen += iovad.iovaAlign(sg.length(i) + iovad.iovaOffset(sg.phys(i)));
        }
        if (iovaLen == 0) {
            cookie.stats().mapFailed(MapFailure.INVALID_SIZE);
            return -Errno.EINVAL;
        }
        long iova = allocIova(cpu, dev, iovaLen);
        if (iova == 0) {
            cookie.stats().mapFailed(allocFailure(dev));
            return -Errno.ENOMEM;
        }
        long mapped = domain.iommuMapSg(cpu, iova, sg, dmaInfoToProt(dir));
        if (mapped < iovaLen) {
            cookie.freeIova(cpu, iova, iovaLen, null);
            cookie.stats().mapFailed(MapFailure.IOMMU_MAP_FAILED);
            return mapped == -Errno.ENOMEM ? -Errno.ENOMEM : -Errno.EINVAL;
        }
        cookie.stats().mappedSg(cpu, iovaLen);
        return finaliseSg(sg, iova, Math.min(dev.maxSegSize(), Integer.MAX_VALUE));
    }

    /**
     * {@code __finalise_sg}: fills the DMA addresses. A segment joins the previous DMA segment
     * when that one ended on a granule boundary, this one starts on one, no 4 GiB boundary lies
     * between and the joined length stays within {@code maxSegSize}.
     */
    private int finaliseSg(ScatterList sg, long iova, long maxSegSize) {
        long dmaAddr = iova;
        int count = 0;
        long curAddr = 0;
        long curLen = 0;
        for (int i = 0; i < sg.nents(); i++) {
            long off = iovad.iovaOffset(sg.phys(i));
            long len = sg.length(i);
            long slot = iovad.iovaAlign(len + off);
            if (curLen > 0 && off == 0 && (dmaAddr & DMA_BIT_MASK_32) != 0 && maxSegSize - curLen >= len) {
                curLen += len;
            } else {
                count++;
                curAddr = dmaAddr + off;
                curLen = len;
            }
            sg.setDma(count - 1, curAddr, (int) curLen);
            dmaAddr += slot;
            if (len + off < slot) {
                curLen = 0;
            }
        }
        sg.setDmaNents(count);
        return count;
    }

    /**
     * {@code iommu_dma_opt_mapping_size}: the largest size the IOVA rcaches serve, 128 KiB with
     * Linux's rcaches; unlimited when the model is told to report no cap.
     */
    @Override
    public long optMappingSize(Device dev) {
        return optSizeCap ? iovad.iovaRcacheRange() : Long.MAX_VALUE;
    }

    /** {@code iommu_dma_unmap_sg}: one unmap from the first DMA segment to the end of the last. */
    @Override
    public void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_UNMAP_CALL);
        int last = sg.dmaNents() - 1;
        if (last < 0) {
            return;
        }
        long start = sg.dmaAddress(0);
        long end = sg.dmaAddress(last) + sg.dmaLength(last);
        unmap(cpu, start, end - start);
        cookie.stats().unmappedSg(cpu);
    }

    /** Why {@link #allocIova} found nothing: the mask ends below the first usable IOVA, or the space is full. */
    private MapFailure allocFailure(Device dev) {
        return Long.compareUnsigned(deviceLimit(dev) >>> iovad.iovaShift(), cookie.firstUsablePfn()) < 0
                ? MapFailure.DMA_MASK_BELOW_APERTURE : MapFailure.IOVA_SPACE_EXHAUSTED;
    }

    /**
     * {@code iommu_dma_alloc_iova}: the device's mask and bus limit, clipped to the aperture; below
     * 4 GiB first while the workaround holds, then the whole range with the rcaches flushed on
     * failure.
     *
     * @return the bus address, or 0 when none is left
     */
    private long allocIova(Cpu cpu, Device dev, long size) {
        int shift = iovad.iovaShift();
        long iovaLen = size >>> shift;
        long dmaLimit = deviceLimit(dev);
        if (domain.geometry().forceAperture() && Long.compareUnsigned(domain.geometry().apertureEnd(), dmaLimit) < 0) {
            dmaLimit = domain.geometry().apertureEnd();
        }
        if (Long.compareUnsigned(dmaLimit, DMA_BIT_MASK_32) > 0 && pci32bitWorkaround) {
            long pfn = iovad.allocIovaFast(cpu, iovaLen, DMA_BIT_MASK_32 >>> shift, false);
            if (pfn != 0) {
                return pfn << shift;
            }
            pci32bitWorkaround = false;
        }
        return iovad.allocIovaFast(cpu, iovaLen, Math.min(dmaLimit >>> shift, IovaDomain.IOVA_ANCHOR - 1), true)
                << shift;
    }

    /** The device's mask, capped by the bus's limit where there is one ({@code min_not_zero}). */
    private static long deviceLimit(Device dev) {
        long bus = dev.busDmaLimit();
        return bus != 0 && Long.compareUnsigned(bus, dev.dmaMask()) < 0 ? bus : dev.dmaMask();
    }

    /**
     * {@code __iommu_dma_unmap}. When less than the whole range was mapped the kernel warns and
     * goes on to free the IOVA; the model counts it.
     */
    private void unmap(Cpu cpu, long dmaAddr, long size) {
        long iovaOff = iovad.iovaOffset(dmaAddr);
        long iova = dmaAddr - iovaOff;
        long len = iovad.iovaAlign(size + iovaOff);
        IotlbGather gather = gathers[cpu.id()];
        gather.init();
        DeferredFlush fq = cookie.fqDomain();
        gather.setQueued(fq != null);
        if (domain.iommuUnmapFast(cpu, iova, len, gather) != len) {
            cookie.stats().unmapMismatches.increment();
        }
        if (fq == null) {
            domain.iommuIotlbSync(cpu, gather);
            cookie.stats().strictSynced(cpu);
        }
        cookie.freeIova(cpu, iova, len, fq);
    }

    /** {@code dma_info_to_prot} for a coherent device: what the device may do with the buffer. */
    static int dmaInfoToProt(DmaDirection dir) {
        return switch (dir) {
            case BIDIRECTIONAL -> IommuProt.READ | IommuProt.WRITE;
            case TO_DEVICE -> IommuProt.READ;
            case FROM_DEVICE -> IommuProt.WRITE;
            case NONE -> 0;
        };
    }
}
