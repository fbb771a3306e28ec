package org.iommulab.platform.qemu;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.iommulab.intel.CachingModeHost;
import org.iommulab.intel.InvDescriptor;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.pgtable.IoPte;
import org.iommulab.pgtable.RadixPageTable;
import org.iommulab.platform.device.DmaTranslationSource;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.platform.shadow.ShadowTable;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.SpinLock;

/**
 * QEMU's emulated VT-d in caching mode with a vfio device behind it (hw/i386/intel_iommu.c): the
 * host side of {@link org.iommulab.intel.X86IommuConfig#cachingMode}. The guest's tables are shadowed into the host
 * IOMMU through vfio, and QEMU learns of changes only through queued invalidations: the guest's
 * write of the queue tail exits to QEMU ({@link Cost#VTD_EXIT}, in parallel per vCPU), which then
 * handles the descriptors under the BQL, a mutex ({@link Cost#VTD_INV_LOCKED}, and
 * {@link Cost#KVM_BQL_HANDOFF} when contended).
 *
 * <p>A page-selective invalidation walks the guest table over its range and a domain-selective
 * one over the whole address space ({@code vtd_sync_shadow_page_table_range},
 * {@code vtd_page_walk}), reading every entry of every table it reaches ({@link Cost#VTD_WALK_ENTRY}),
 * and compares the leaves with the shadow: a new or changed translation is one vfio map of the
 * page, a shadowed page the guest no longer translates one vfio unmap (vfio costs as under KVM).
 * The device translates through the host IOMMU, that is, the shadow, with its own IOTLB.
 *
 * <p>Differs from QEMU: one vfio unmap per dropped page even where a non-present upper entry
 * covers several (QEMU sends one for that entry's range), and one device, one domain.
 */
public final class VirtualVtd implements CachingModeHost {

    private static final int PAGE_SHIFT = IoPte.PAGE_SHIFT;
    private static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    private final SpinLock bql;
    private final ShadowTable shadow = new ShadowTable();
    private final Map<Integer, RadixPageTable> domains = new ConcurrentHashMap<>();
    private final IommuTrace tracker;
    private volatile IotlbDevice device;
    /** What QEMU did; changed under the BQL. */
    private long exits;
    private long entriesWalked;
    private long hostMaps;
    private long hostUnmaps;
    private long peakShadow;

    /** @param tracker told when a vfio unmap makes pages unreachable, or null */
    public VirtualVtd(Engine engine, IommuTrace tracker) {
        this.bql = engine.newMutex("qemu-vtd-global-lock", CostCategory.HYPERVISOR, Cost.KVM_BQL_HANDOFF);
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
    }

    @Override
    public void register(int did, RadixPageTable table) {
        domains.put(did, table);
    }

    /**
     * The device behind the virtual IOMMU: its IOTLB of {@code iotlbEntries} entries fills from
     * the shadow, and QEMU's vfio unmaps invalidate it. Plugging again gives the same device.
     */
    public synchronized IotlbDevice plug(String name, int iotlbEntries) {
        if (device == null) {
            device = new IotlbDevice(name, shadow::lookup, iotlbEntries);
        }
        return device;
    }

    /**
     * The guest moved the queue tail past {@code desc} and its wait descriptor: the exit, then
     * QEMU handles both under the BQL and the guest's wait completes.
     */
    @Override
    public void execute(Cpu cpu, InvDescriptor desc) {
        cpu.spend(Cost.VTD_EXIT);
        bql.lock(cpu);
        try {
            cpu.spend(Cost.VTD_INV_LOCKED);
            exits++;
            RadixPageTable table = domains.get(desc.did());
            switch (desc.type()) {
                case IOTLB_PSI -> {
                    sync(cpu, table, desc.firstPfn(), desc.firstPfn() + desc.pages() - 1);
                    tracker.invalidated(cpu.nowNs(), desc.firstPfn(), desc.pages());
                }
                case IOTLB_DSI -> {
                    sync(cpu, table, 0, RadixPageTable.MAX_PFN);
                    tracker.invalidatedAll(cpu.nowNs());
                }
                default -> throw new IllegalArgumentException(desc.type() + " is not an IOTLB descriptor");
            }
        } finally {
            bql.unlock(cpu);
        }
    }

    /** {@code vtd_sync_shadow_page_table_range}: the shadow of {@code [first, last]} made equal to the table. */
    private void sync(Cpu cpu, RadixPageTable table, long first, long last) {
        long read = table.walkRange(first, last, (pfn, pte) -> {
            if (IoPte.present(pte)) {
                long want = DmaTranslationSource.translation(IoPte.pfn(pte) << PAGE_SHIFT, (pte & IoPte.WRITE) != 0);
                long iova = pfn << PAGE_SHIFT;
                long had = shadow.lookup(iova);
                if (had != want) {
                    if (had != ShadowTable.ABSENT) {
                        hostUnmap(cpu, iova);
                    }
                    shadow.put(iova, want);
                    hostMaps++;
                    peakShadow = Math.max(peakShadow, shadow.size());
                    cpu.spend(Cost.KVM_HOST_MAP);
                }
            }
        });
        entriesWalked += read;
        cpu.spend(Cost.VTD_WALK_ENTRY, read);
        long end = (last + 1) << PAGE_SHIFT;
        for (long p = shadow.nextShadowed(first << PAGE_SHIFT, end); p >= 0; p = shadow.nextShadowed(p + PAGE_SIZE, end)) {
            if (!IoPte.present(table.walk(p >>> PAGE_SHIFT))) {
                hostUnmap(cpu, p);
            }
        }
    }

    /** One vfio unmap of one shadowed page: unpinned, unmapped, the host IOTLB and the device's flushed. */
    private void hostUnmap(Cpu cpu, long iova) {
        shadow.remove(iova);
        hostUnmaps++;
        cpu.spend(Cost.KVM_HOST_UNMAP);
        cpu.spend(Cost.KVM_HOST_UNMAP_PAGE);
        IotlbDevice dev = device;
        if (dev != null) {
            dev.invalidate(iova, PAGE_SIZE);
        }
        tracker.invalidated(cpu.nowNs(), iova >>> PAGE_SHIFT, 1);
    }

    /** Queue-tail exits handled, table entries walked, vfio maps and unmaps, the largest shadow. */
    public VirtualVtdStats stats() {
        return new VirtualVtdStats(exits, entriesWalked, hostMaps, hostUnmaps, peakShadow);
    }
}
