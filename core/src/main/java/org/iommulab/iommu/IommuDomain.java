package org.iommulab.iommu;

import org.iommulab.kernel.Errno;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;

/**
 * {@code struct iommu_domain} (include/linux/iommu.h) and the parts of drivers/iommu/iommu.c
 * (v6.7) that act on one: {@code iommu_map} split into the largest page sizes the bitmap allows,
 * {@code iommu_map_sg}, {@code iommu_unmap_fast}, {@code iommu_iotlb_sync} and
 * {@code iommu_flush_iotlb_all}.
 *
 * <p>An identity domain has no driver ops: its devices use direct mapping and none of the map
 * functions may be called on it. The dma-iommu cookie is set once, when the DMA layer takes the
 * domain. The type changes only between DMA and DMA-FQ (a live sysfs upgrade, or dma-iommu's
 * fall-back to strict), and is read without a lock as the kernel reads {@code domain->type}.
 */
public final class IommuDomain {

    private final IommuDomainOps ops;
    private volatile DomainType type;
    private volatile IovaCookie iovaCookie;

    /** A paging domain of {@code type} DMA or DMA-FQ, served by the driver's {@code ops}. */
    public static IommuDomain paging(DomainType type, IommuDomainOps ops) {
        if (!type.isDma()) {
            throw new IllegalArgumentException("paging domain of type " + type + "; allowed DMA or DMA_FQ");
        }
        return new IommuDomain(type, ops);
    }

    /** An identity (passthrough) domain. */
    public static IommuDomain identity() {
        return new IommuDomain(DomainType.IDENTITY, null);
    }

    private IommuDomain(DomainType type, IommuDomainOps ops) {
        this.type = type;
        this.ops = ops;
    }

    public DomainType type() {
        return type;
    }

    /**
     * Switches between DMA and DMA-FQ: the live sysfs upgrade once the flush queue exists, or
     * dma-iommu's fall-back to strict when the queue cannot be had.
     */
    public void setType(DomainType newType) {
        if (!type.isDma() || !newType.isDma()) {
            throw new IllegalArgumentException("domain type " + type + " -> " + newType + "; only DMA <-> DMA_FQ");
        }
        type = newType;
    }

    /** The driver's ops; null for an identity domain. */
    public IommuDomainOps ops() {
        return ops;
    }

    public DomainGeometry geometry() {
        return ops.geometry();
    }

    public long pgsizeBitmap() {
        return ops.pgsizeBitmap();
    }

    /** The dma-iommu cookie, or null before the DMA layer took the domain. */
    public IovaCookie iovaCookie() {
        return iovaCookie;
    }

    /** {@code iommu_get_dma_cookie}: done once by the DMA layer. */
    public void setIovaCookie(IovaCookie cookie) {
        if (iovaCookie != null) {
            throw new IllegalStateException("domain already has a DMA cookie");
        }
        iovaCookie = cookie;
    }

    /**
     * {@code iommu_map}: maps {@code [iova, iova+size)} to {@code paddr} in the largest pages the
     * domain supports, then lets the driver sync the new range; if that fails the whole range is
     * unmapped again.
     *
     * @return 0 or -errno
     */
    public int iommuMap(Cpu cpu, long iova, long paddr, long size, int prot) {
        int ret = mapRange(cpu, iova, paddr, size, prot);
        if (ret != 0) {
            return ret;
        }
        ret = ops.iotlbSyncMap(cpu, iova, size);
        if (ret != 0) {
            iommuUnmap(cpu, iova, size);
        }
        return ret;
    }

    /**
     * {@code iommu_map_sg}: maps the scatterlist's segments back to back from {@code iova},
     * joining physically contiguous segments into one call, then syncs the whole range once. Each
     * segment is mapped from its physical address rounded down to the smallest page to its end
     * rounded up: the page-aligned segments dma-iommu's in-place rewrite of offsets and lengths
     * hands the kernel's function.
     *
     * @return the bytes mapped, or -errno after undoing everything
     */
    public long iommuMapSg(Cpu cpu, long iova, ScatterList sg, int prot) {
        long minPagesz = Long.lowestOneBit(ops.pgsizeBitmap());
        long mapped = 0;
        long runStart = 0;
        long runLen = 0;
        for (int i = 0; i < sg.nents(); i++) {
            long phys = sg.phys(i) & -minPagesz;
            long len = (sg.phys(i) + sg.length(i) - phys + minPagesz - 1) & -minPagesz;
            if (runLen > 0 && runStart + runLen == phys) {
                runLen += len;
                continue;
            }
            if (runLen > 0) {
                int ret = mapRange(cpu, iova + mapped, runStart, runLen, prot);
                if (ret != 0) {
                    return undoSg(cpu, iova, mapped, ret);
                }
                mapped += runLen;
            }
            runStart = phys;
            runLen = len;
        }
        if (runLen > 0) {
            int ret = mapRange(cpu, iova + mapped, runStart, runLen, prot);
            if (ret != 0) {
                return undoSg(cpu, iova, mapped, ret);
            }
            mapped += runLen;
        }
        int ret = ops.iotlbSyncMap(cpu, iova, mapped);
        if (ret != 0) {
            return undoSg(cpu, iova, mapped, ret);
        }
        return mapped;
    }

    private long undoSg(Cpu cpu, long iova, long mapped, int err) {
        if (mapped > 0) {
            iommuUnmap(cpu, iova, mapped);
        }
        return err;
    }

    /** {@code __iommu_map}: the page-size split; undoes its own partial work on failure. */
    private int mapRange(Cpu cpu, long iova, long paddr, long size, int prot) {
        long bitmap = ops.pgsizeBitmap();
        if (bitmap == 0) {
            return -Errno.ENODEV;
        }
        long minPagesz = Long.lowestOneBit(bitmap);
        if (((iova | paddr | size) & (minPagesz - 1)) != 0 || size == 0) {
            return -Errno.EINVAL;
        }
        long done = 0;
        while (done < size) {
            long pgsize = pgsize(bitmap, iova + done, paddr + done, size - done);
            long count = pgcount(bitmap, iova + done, paddr + done, size - done, pgsize);
            long ret = ops.mapPages(cpu, iova + done, paddr + done, pgsize, count, prot);
            if (ret < 0) {
                if (done > 0) {
                    iommuUnmap(cpu, iova, done);
                }
                return (int) ret;
            }
            done += ret;
        }
        return 0;
    }

    /** {@code iommu_unmap}: unmaps and syncs at once (the error paths of the map functions). */
    private void iommuUnmap(Cpu cpu, long iova, long size) {
        IotlbGather gather = new IotlbGather();
        iommuUnmapFast(cpu, iova, size, gather);
        iommuIotlbSync(cpu, gather);
    }

    /**
     * {@code iommu_unmap_fast}: clears the translations in the largest pages the bitmap allows,
     * gathering the range for a later {@link #iommuIotlbSync} or flush-queue flush.
     *
     * @return the bytes unmapped; 0 for a misaligned request
     */
    public long iommuUnmapFast(Cpu cpu, long iova, long size, IotlbGather gather) {
        long bitmap = ops.pgsizeBitmap();
        long minPagesz = Long.lowestOneBit(bitmap);
        if (bitmap == 0 || ((iova | size) & (minPagesz - 1)) != 0) {
            return 0;
        }
        long unmapped = 0;
        while (unmapped < size) {
            long at = iova + unmapped;
            long pgsize = pgsize(bitmap, at, at, size - unmapped);
            long count = pgcount(bitmap, at, at, size - unmapped, pgsize);
            long done = ops.unmapPages(cpu, at, pgsize, count, gather);
            if (done <= 0) {
                break;
            }
            unmapped += done;
        }
        return unmapped;
    }

    /** {@code iommu_iotlb_sync}: the driver invalidates what {@code gather} holds; then it is reset. */
    public void iommuIotlbSync(Cpu cpu, IotlbGather gather) {
        ops.iotlbSync(cpu, gather);
        gather.init();
    }

    /** {@code iommu_flush_iotlb_all}. */
    public void iommuFlushIotlbAll(Cpu cpu) {
        ops.flushIotlbAll(cpu);
    }

    /**
     * {@code iommu_pgsize}, size part: the largest supported page size no bigger than {@code size}
     * to which both addresses are aligned.
     */
    static long pgsize(long bitmap, long iova, long paddr, long size) {
        long candidates = bitmap & maskUpTo(63 - Long.numberOfLeadingZeros(size));
        long addrMerge = iova | paddr;
        if (addrMerge != 0) {
            candidates &= maskUpTo(Long.numberOfTrailingZeros(addrMerge));
        }
        return Long.highestOneBit(candidates);
    }

    /**
     * {@code iommu_pgsize}, count part: how many pages of {@code pgsize} to map in one call. When
     * a bigger supported page fits further on and both addresses share their offset within it, the
     * count stops at that page's boundary so the next call can use it.
     */
    static long pgcount(long bitmap, long iova, long paddr, long size, long pgsize) {
        long bigger = bitmap & ~maskUpTo(Long.numberOfTrailingZeros(pgsize));
        if (bigger != 0) {
            long next = Long.lowestOneBit(bigger);
            if (((iova ^ paddr) & (next - 1)) == 0) {
                long offset = next - ((iova | paddr) & (next - 1));
                if (offset + next <= size) {
                    size = offset;
                }
            }
        }
        return size / pgsize;
    }

    /** Bits 0..{@code bit} set. */
    private static long maskUpTo(int bit) {
        return bit >= 63 ? -1L : (1L << (bit + 1)) - 1;
    }
}
