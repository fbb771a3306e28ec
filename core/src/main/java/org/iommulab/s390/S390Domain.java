package org.iommulab.s390;

import static org.iommulab.s390.PciDma.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cpu;

/**
 * {@code struct s390_domain} with its {@code iommu_domain_ops} (drivers/iommu/s390-iommu.c, v6.7):
 * a {@link DmaTable}, the functions attached to it (the kernel's RCU list; a copy-on-write list
 * here) and the counters debugfs shows for them.
 *
 * <p>Beyond the kernel: each unmap is reported to the attached functions' stale-window trackers.
 */
public final class S390Domain implements IommuDomainOps {

    private static final DomainGeometry GEOMETRY = new DomainGeometry(0, ZPCI_TABLE_SIZE_RT - 1, true);

    private final S390Iommu iommu;
    private final DmaTable dmaTable;
    private final ZpciIommuCtrs ctrs = new ZpciIommuCtrs();
    private final List<ZpciFunction> devices = new CopyOnWriteArrayList<>();

    S390Domain(S390Iommu iommu, DmaTable dmaTable) {
        this.iommu = iommu;
        this.dmaTable = dmaTable;
    }

    public DmaTable dmaTable() {
        return dmaTable;
    }

    public ZpciIommuCtrs ctrs() {
        return ctrs;
    }

    /** The functions attached now. */
    public List<ZpciFunction> devices() {
        return List.copyOf(devices);
    }

    /**
     * {@code s390_iommu_attach_device}: moves the function off its previous domain (DMA blocked
     * meanwhile), registers this domain's tables as its IOAT and adds it to the domain.
     */
    @Override
    public int attachDev(Device dev) {
        ZpciFunction fn = iommu.function(dev);
        if (fn == null) {
            return -Errno.ENODEV;
        }
        if (Long.compareUnsigned(GEOMETRY.apertureStart(), fn.endDma()) > 0
                || Long.compareUnsigned(GEOMETRY.apertureEnd(), fn.startDma()) < 0) {
            return -Errno.EINVAL;
        }
        S390Domain old = iommu.attachedDomain(fn);
        if (old != null) {
            old.blockDma(fn);
        }
        fn.registerIoat(dmaTable);
        fn.setIommuCtrs(ctrs);
        iommu.setAttachedDomain(fn, this);
        devices.add(fn);
        return 0;
    }

    /** Attaches the blocking domain: the function leaves this domain and its IOAT is unregistered. */
    @Override
    public void detachDev(Device dev) {
        ZpciFunction fn = iommu.function(dev);
        if (fn != null && iommu.attachedDomain(fn) == this) {
            blockDma(fn);
        }
    }

    private void blockDma(ZpciFunction fn) {
        devices.remove(fn);
        fn.unregisterIoat();
        iommu.setAttachedDomain(fn, null);
    }

    /** {@code s390_iommu_map_pages}: 4 KiB pages only; read-only unless {@link IommuProt#WRITE}. */
    @Override
    public long mapPages(Cpu cpu, long iova, long paddr, long pgsize, long pgcount, int prot) {
        if (pgsize != PAGE_SIZE) {
            return -Errno.EINVAL;
        }
        long size = pgcount * pgsize;
        if (!inAperture(iova, size)) {
            return -Errno.EINVAL;
        }
        if (((iova | paddr) & (pgsize - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long flags = ZPCI_PTE_VALID;
        if ((prot & IommuProt.WRITE) == 0) {
            flags |= ZPCI_TABLE_PROTECTED;
        }
        int rc = validateTrans(cpu, paddr, iova, pgcount, flags);
        if (rc != 0) {
            return rc;
        }
        ctrs.addMappedPages(pgcount);
        return size;
    }

    /** {@code s390_iommu_validate_trans}: on a failed table allocation the pages set so far are invalidated again. */
    private int validateTrans(Cpu cpu, long pa, long dmaAddr, long nrPages, long flags) {
        long pageAddr = pa & PAGE_MASK;
        for (long i = 0; i < nrPages; i++) {
            if (!dmaTable.updateCpuTrans(cpu, dmaAddr + i * PAGE_SIZE, pageAddr + i * PAGE_SIZE, flags)) {
                while (i-- > 0) {
                    if (!dmaTable.updateCpuTrans(cpu, dmaAddr + i * PAGE_SIZE, 0, ZPCI_PTE_INVALID)) {
                        break;
                    }
                }
                return -Errno.ENOMEM;
            }
        }
        return 0;
    }

    /**
     * {@code s390_iommu_unmap_pages}: invalidates the PTEs and adds the range to the gather; the
     * flush is left to {@code iotlb_sync} or a flush queue.
     *
     * @return the bytes unmapped, 0 when the range is outside the aperture or a table was missing
     *     and could not be allocated
     */
    @Override
    public long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather) {
        long size = pgcount * pgsize;
        if (!inAperture(iova, size)) {
            return 0;
        }
        for (long i = 0; i < pgcount; i++) {
            if (!dmaTable.updateCpuTrans(cpu, iova + i * PAGE_SIZE, 0, ZPCI_PTE_INVALID)) {
                return 0;
            }
        }
        gather.addRange(iova, size);
        ctrs.addUnmappedPages(pgcount);
        for (ZpciFunction fn : devices) {
            IommuTrace tracker = fn.trace();
            tracker.unmapped(cpu.nowNs(), iova >>> PAGE_SHIFT, pgcount);
        }
        return size;
    }

    /** {@code s390_iommu_flush_iotlb_all}: a global RPCIT per attached function. */
    @Override
    public void flushIotlbAll(Cpu cpu) {
        for (ZpciFunction fn : devices) {
            ctrs.incGlobalRpcits();
            PciInsn.zpciRefreshAll(cpu, fn);
        }
    }

    /**
     * {@code s390_iommu_iotlb_sync_map}: for functions with {@code tlb_refresh} an RPCIT over the new
     * range; when the hypervisor is out of resources a global refresh lets it reclaim what the
     * guest invalidated lazily (and re-syncs the new range); if that fails too, its error is returned.
     */
    @Override
    public int iotlbSyncMap(Cpu cpu, long iova, long size) {
        int ret = 0;
        for (ZpciFunction fn : devices) {
            if (!fn.tlbRefresh()) {
                continue;
            }
            ctrs.incSyncMapRpcits();
            ret = PciInsn.zpciRefreshTrans(cpu, fn, iova, size);
            if (ret == -Errno.ENOMEM) {
                ret = PciInsn.zpciRefreshAll(cpu, fn);
                if (ret != 0) {
                    break;
                }
            }
        }
        return ret;
    }

    /** {@code s390_iommu_iotlb_sync}: one RPCIT over the gathered range per attached function. */
    @Override
    public void iotlbSync(Cpu cpu, IotlbGather gather) {
        if (gather.end() == 0) {
            return;
        }
        long size = gather.end() - gather.start() + 1;
        for (ZpciFunction fn : devices) {
            ctrs.incSyncRpcits();
            PciInsn.zpciRefreshTrans(cpu, fn, gather.start(), size);
        }
    }

    @Override
    public long iovaToPhys(long iova) {
        if (!inAperture(iova, 1)) {
            return 0;
        }
        long pte = dmaTable.translate(iova);
        return ptEntryIsValid(pte) ? ptePfaa(pte) + (iova & ~ZPCI_PTE_ADDR_MASK) : 0;
    }

    @Override
    public DomainGeometry geometry() {
        return GEOMETRY;
    }

    @Override
    public long pgsizeBitmap() {
        return PAGE_SIZE;
    }

    /** {@code s390_domain_free}: frees the tables; no function may still be attached. */
    @Override
    public void free() {
        if (!devices.isEmpty()) {
            throw new IllegalStateException("domain freed with functions attached: " + devices);
        }
        dmaTable.free();
    }

    private static boolean inAperture(long iova, long size) {
        return Long.compareUnsigned(iova, GEOMETRY.apertureStart()) >= 0
                && Long.compareUnsigned(iova + size - 1, GEOMETRY.apertureEnd()) <= 0;
    }
}
