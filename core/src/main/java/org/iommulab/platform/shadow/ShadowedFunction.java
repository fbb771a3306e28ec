package org.iommulab.platform.shadow;

import static org.iommulab.platform.shadow.ShadowTable.ABSENT;
import static org.iommulab.s390.PciDma.PAGE_SHIFT;
import static org.iommulab.s390.PciDma.PAGE_SIZE;

import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.platform.device.DmaTranslationSource;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.DmaTable;
import org.iommulab.sim.Cpu;

/**
 * One zPCI function as a shadowing hypervisor keeps it: QEMU's {@code S390PCIIOMMU}
 * (hw/s390x/s390-pci-bus.h) with its shadow and the vfio container's DMA limit, and the refresh
 * an RPCIT asks for, reading the tables the function registered ({@code rpcit_service_call},
 * {@code s390_pci_update_iotlb} and {@code s390_pci_batch_unmap} in hw/s390x/s390-pci-inst.c).
 *
 * <p>The refresh walks the range one guest-table walk at a time. A walk ending at an invalid
 * region or segment entry covers 2 GiB or 1 MiB, stepping from the walked address as QEMU does,
 * so the guest loads for that span are saved; every 4 KiB page of the range still costs one shadow
 * lookup. A new or changed valid page is mapped on the host one page at a time (a changed page is
 * unmapped first) while DMA entries remain; otherwise the map is skipped and, with the profile's
 * second pass, the range is walked again if unmaps later freed entries. Invalid shadowed pages are
 * unmapped one host call per page, or, when the profile coalesces, runs of invalid page-table
 * entries (shadowed or not) go out as power-of-two aligned host unmaps. A host unmap costs per
 * call (with its host IOTLB flush) and per page it unpins; a call that finds nothing mapped costs
 * only the ioctl.
 *
 * <p>z/VM ({@link HypervisorProfile.Resync#CHANGED_ENTRIES}, assumed) finds the same changes and
 * pays for them: per newly valid and per newly invalid entry, and one flush of the hardware IOTLB
 * at the end of a resync that invalidated any; it walks no page and looks nothing up, but checks
 * each 1 MiB segment of the range once, which is what makes a global refresh cost more than a
 * ranged one. The device's IOTLB entries and stale windows of the dropped pages end as each
 * entry is dropped, before that flush is paid, so windows may be shorter by one flush.
 *
 * <p>Deliberate differences from QEMU, none of which a Linux guest can reach: shadowed pages under
 * an invalid region or segment entry are unmapped on the host one page each (QEMU from 8.0 drops
 * them from its hash without a host unmap); the DMA count stays exact for a changed page (QEMU
 * takes a second entry); a refresh starts at the page of the given address.
 *
 * <p>With relaxed translation (QEMU 10.0) a guest may register its IOAT with translation off:
 * then all guest RAM is mapped at IOVA = guest-physical address + SDMA and pinned for good
 * ({@code s390_pci_iommu_direct_map_enable}), and the shadow is not used.
 *
 * <p>Every method runs under the hypervisor's global lock, except {@link #lookup}, which the
 * device may call at any time.
 */
public final class ShadowedFunction implements DmaTranslationSource {

    private final HypervisorProfile profile;
    private final HypervisorCounters counters;
    private final DmaLimit dmaLimit;
    private final IommuTrace tracker;
    private final ShadowTable shadow = new ShadowTable();
    /** The device behind the function, whose IOTLB the host's unmaps invalidate; null until plugged. */
    private volatile IotlbDevice device;
    /** The direct map of guest RAM, {@code [directBase, directEnd)}; empty unless relaxed translation is on. */
    private volatile long directBase;
    private volatile long directEnd;
    /** The run of consecutive invalid PTEs whose host unmap is deferred (coalescing profiles). */
    private long coalesceStart;
    private long coalesceLen;
    /** A hardware flush is owed at the end of this resync (changed-entries resync only). */
    private boolean flushOwed;
    /** The run of consecutive invalid pages not yet reported to the tracker. */
    private long invalidStart;
    private long invalidLen;

    ShadowedFunction(HypervisorProfile profile, HypervisorCounters counters, DmaLimit dmaLimit,
            IommuTrace tracker) {
        this.profile = profile;
        this.counters = counters;
        this.dmaLimit = dmaLimit;
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
    }

    void plug(IotlbDevice dev) {
        device = dev;
    }

    /**
     * What the device gets for {@code iova} through the host IOMMU: the shadow entry, which changes
     * only when an RPCIT is handled.
     */
    @Override
    public long lookup(long iova) {
        if (iova >= directBase && iova < directEnd) {
            return DmaTranslationSource.translation(iova - directBase, true);
        }
        return shadow.lookup(iova);
    }

    /**
     * {@code reg_ioat} with translation off: guest RAM of {@code ramBytes} appears at IOVA
     * {@code sdma} + guest-physical address, all of it pinned and mapped on the host at once.
     */
    void directMapEnable(long sdma, long ramBytes) {
        directBase = sdma;
        directEnd = sdma + ramBytes;
    }

    /**
     * The guest registered or unregistered tables: QEMU disables the old IOMMU region, which empties
     * the shadow and unmaps all of it from the host (vfio's listener), and ends any direct map.
     * The MPCIFC intercept itself is not priced (the kernel issues it only on attach and detach), and
     * having no clock here it closes no stale windows.
     */
    void ioatChanged() {
        long dropped = shadow.clear();
        dmaLimit.release(dropped);
        counters.shadowRemoved(dropped);
        directEnd = directBase;
        IotlbDevice dev = device;
        if (dev != null) {
            dev.invalidateAll();
        }
    }

    /** Shadowed pages of this function now. */
    public long shadowEntries() {
        return shadow.size();
    }

    /** DMA entries still free in this function's container. */
    public long dmaAvail() {
        return dmaLimit.avail();
    }

    /**
     * Brings the shadow of {@code [start, end)} in line with the guest tables {@code ioat}.
     *
     * @return true if DMA entries remain afterwards (cc 0), false for cc 1 status 16: QEMU answers
     *     "insufficient resources" whenever none is left at the end, even if nothing was skipped
     */
    boolean refresh(Cpu cpu, DmaTable ioat, long start, long end) {
        HypervisorCosts costs = profile.costs();
        boolean walks = profile.resync() == HypervisorProfile.Resync.WALK_RANGE;
        if (end > start) {
            HypervisorCosts.spend(cpu, costs.segmentScan(), ((end - 1) >>> 20) - (start >>> 20) + 1);
        }
        boolean again;
        do {
            again = false;
            long addr = start & ~(PAGE_SIZE - 1);
            while (addr < end) {
                GuestIoTableEntry e = GuestIoTableWalk.walk(ioat, addr);
                boolean pte = e.len() == PAGE_SIZE;
                if (walks) {
                    counters.guestTableLoads += e.loads();
                    if (pte) {
                        counters.pagesWalked++;
                        HypervisorCosts.spend(cpu, costs.walkPage(), 1);
                    }
                }
                long stop = addr + e.len();
                long last = Math.min(stop, end);
                if (e.invalid()) {
                    invalidPages(cpu, e.iova(), last, pte);
                } else {
                    endCoalescedRun(cpu);
                    endInvalidRun(cpu);
                    if (!validPages(cpu, e, last)) {
                        again = profile.secondPass();
                    }
                }
                addr = stop;
            }
            endCoalescedRun(cpu);
            endInvalidRun(cpu);
            payOwedFlush(cpu);
            if (again && dmaLimit.avail() > 0) {
                counters.secondPasses++;
            } else {
                again = false;
            }
        } while (again);
        return dmaLimit.avail() > 0;
    }

    /** The pages of {@code [iova, last)} the walk found invalid. */
    private void invalidPages(Cpu cpu, long iova, long last, boolean pte) {
        long pages = (last - iova + PAGE_SIZE - 1) >>> PAGE_SHIFT;
        lookups(cpu, pages);
        if (invalidLen == 0) {
            invalidStart = iova;
        }
        invalidLen += pages * PAGE_SIZE;
        if (pte && profile.coalesceUnmaps()) {
            // The removal is done when the run ends: no map can come between, so the outcome is the same.
            if (coalesceLen == 0) {
                coalesceStart = iova;
            }
            coalesceLen += PAGE_SIZE;
            return;
        }
        endCoalescedRun(cpu);
        long end = iova + pages * PAGE_SIZE;
        for (long p = shadow.nextShadowed(iova, end); p >= 0; p = shadow.nextShadowed(p + PAGE_SIZE, end)) {
            dropShadow(p);
            hostUnmap(cpu, p, PAGE_SIZE, 1);
        }
    }

    /**
     * Maps the valid pages of {@code [e.iova, last)}.
     *
     * @return false if a map was skipped because no DMA entry was left
     */
    private boolean validPages(Cpu cpu, GuestIoTableEntry e, long last) {
        long xlat = e.translatedAddr();
        for (long iova = e.iova(); iova < last; iova += PAGE_SIZE, xlat += PAGE_SIZE) {
            if (dmaLimit.avail() == 0) {
                // QEMU checks the count before it even looks the page up.
                counters.skippedMaps++;
                return false;
            }
            lookups(cpu, 1);
            long want = DmaTranslationSource.translation(xlat, (e.perm() & IommuProt.WRITE) != 0);
            long cached = shadow.lookup(iova);
            if (cached == want) {
                continue;
            }
            if (cached != ABSENT) {
                dropShadow(iova);
                hostUnmap(cpu, iova, PAGE_SIZE, 1);
            }
            shadow.put(iova, want);
            dmaLimit.take();
            counters.shadowAdded();
            counters.hostMaps++;
            HypervisorCosts.spend(cpu, profile.costs().hostMap(), 1);
        }
        return true;
    }

    /** {@code s390_pci_batch_unmap}: the deferred run as power-of-two aligned host unmaps. */
    private void endCoalescedRun(Cpu cpu) {
        long end = coalesceStart + coalesceLen;
        for (long s = coalesceStart; coalesceLen > 0 && s < end; ) {
            long size = Pow2Chunks.firstChunk(s, end);
            long removed = 0;
            for (long p = shadow.nextShadowed(s, s + size); p >= 0; p = shadow.nextShadowed(p + PAGE_SIZE, s + size)) {
                dropShadow(p);
                removed++;
            }
            hostUnmap(cpu, s, size, removed);
            s += size;
        }
        coalesceLen = 0;
    }

    /** The invalid run is unreachable now, shadowed or not: close its stale windows. */
    private void endInvalidRun(Cpu cpu) {
        if (invalidLen > 0) {
            endWindow(cpu, invalidStart, invalidLen);
            invalidLen = 0;
        }
    }

    private void lookups(Cpu cpu, long pages) {
        if (profile.resync() == HypervisorProfile.Resync.WALK_RANGE) {
            counters.shadowLookups += pages;
            HypervisorCosts.spend(cpu, profile.costs().shadowLookup(), pages);
        }
    }

    private void dropShadow(long iova) {
        shadow.remove(iova);
        dmaLimit.release(1);
        counters.shadowRemoved(1);
    }

    /** One host unmap call (VFIO_IOMMU_UNMAP_DMA) of {@code size} bytes, {@code pages} of them mapped. */
    private void hostUnmap(Cpu cpu, long iova, long size, long pages) {
        HypervisorCosts costs = profile.costs();
        counters.hostUnmapPages += pages;
        HypervisorCosts.spend(cpu, costs.hostUnmapPage(), pages);
        if (profile.resync() == HypervisorProfile.Resync.CHANGED_ENTRIES) {
            flushOwed |= pages > 0;
        } else if (pages == 0) {
            counters.hostUnmapCalls++;
            counters.emptyHostUnmapCalls++;
            HypervisorCosts.spend(cpu, costs.hostEmptyUnmap(), 1);
        } else {
            counters.hostUnmapCalls++;
            HypervisorCosts.spend(cpu, costs.hostUnmap(), 1);
        }
        IotlbDevice dev = device;
        if (dev != null) {
            dev.invalidate(iova, size);
        }
        endWindow(cpu, iova, size);
    }

    /** The one hardware flush a changed-entries resync owes once it dropped entries. */
    private void payOwedFlush(Cpu cpu) {
        if (flushOwed) {
            flushOwed = false;
            counters.hostUnmapCalls++;
            HypervisorCosts.spend(cpu, profile.costs().hostUnmap(), 1);
        }
    }

    private void endWindow(Cpu cpu, long iova, long size) {
        tracker.invalidated(cpu.nowNs(), iova >>> PAGE_SHIFT, size >>> PAGE_SHIFT);
    }
}
