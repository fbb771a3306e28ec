package org.iommulab.platform.shadow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.iommulab.kernel.Device;
import org.iommulab.platform.RpcitFaults;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.DmaTable;
import org.iommulab.s390.RpcitHandler;
import org.iommulab.s390.RpcitResult;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.SpinLock;

/**
 * A hypervisor that shadows its s390 guest's DMA translation tables and learns of changes only
 * through RPCIT: KVM with QEMU (target/s390x/kvm/kvm.c {@code kvm_rpcit_service_call},
 * hw/s390x/s390-pci-inst.c {@code rpcit_service_call}, hw/s390x/s390-pci-vfio.c, vfio type1 on the
 * host), or z/VM as a profile of the same model ({@link HypervisorProfile}).
 *
 * <p>Each RPCIT costs the guest CPU an exit that runs in parallel on each vCPU (the SIE exit, the
 * return from KVM_RUN, putting the registers back and re-entry), and is then handled under one
 * global lock, QEMU's BQL, which {@code kvm_arch_handle_exit} takes before it synchronises the
 * registers and decodes the intercept: that fixed part and all the refresh work are serialised
 * across guest CPUs. The BQL is a mutex, so a contended acquisition also waits for the waiter to
 * be woken. A vCPU waiting for that lock is stalled in the hypervisor, so the wait is booked as
 * hypervisor time; the lock's own statistics (named {@code <profile>-global-lock}) count its
 * contended acquisitions and total wait. Each function
 * gets its own shadow and its own vfio container with the DMA entry limit (vfio's
 * {@code dma_entry_limit}, 65,535 by default).
 */
public final class ShadowingHypervisor implements RpcitHandler {

    private final HypervisorProfile profile;
    private final long dmaEntryLimit;
    private final RpcitFaults faults;
    private final SpinLock bql;
    private final HypervisorCounters counters = new HypervisorCounters();
    private final Map<ZpciFunction, ShadowedFunction> functions = new ConcurrentHashMap<>();
    /** The function the last RPCIT was for and its state: a guest's RPCITs mostly name the same one. Under the BQL. */
    private ZpciFunction lastFn;
    private ShadowedFunction lastShadowed;

    /** vfio type1's default {@code dma_entry_limit}, {@code U16_MAX}. */
    public static final long DEFAULT_DMA_ENTRY_LIMIT = DmaLimit.DEFAULT_ENTRIES;

    /** A hypervisor with vfio's default limit of {@value DmaLimit#DEFAULT_ENTRIES} DMA entries per container. */
    public ShadowingHypervisor(Engine engine, HypervisorProfile profile) {
        this(engine, profile, DmaLimit.DEFAULT_ENTRIES, RpcitFaults.NONE);
    }

    /**
     * @param dmaEntryLimit each vfio container's DMA entry limit, where the profile counts them
     * @param faults the answers injected after an RPCIT is decoded, instead of refreshing the shadow
     */
    public ShadowingHypervisor(Engine engine, HypervisorProfile profile, long dmaEntryLimit, RpcitFaults faults) {
        if (dmaEntryLimit < 1) {
            throw new IllegalArgumentException("DMA entry limit " + dmaEntryLimit + "; must be at least 1");
        }
        this.profile = profile;
        this.dmaEntryLimit = dmaEntryLimit;
        this.faults = faults;
        String lock = profile.name() + "-global-lock";
        Cost handoff = profile.costs().lockHandoff();
        this.bql = handoff == null
                ? engine.newSpinLock(lock, CostCategory.HYPERVISOR)
                : engine.newMutex(lock, CostCategory.HYPERVISOR, handoff);
    }

    public HypervisorProfile profile() {
        return profile;
    }

    public long dmaEntryLimit() {
        return dmaEntryLimit;
    }

    /** What the guest sees of a function whose host DMA range is {@code [hostSdma, hostEdma]}. */
    public AdvertisedFunction advertise(long hostSdma, long hostEdma) {
        return profile.advertise(hostSdma, hostEdma, dmaEntryLimit);
    }

    /**
     * A builder for a function plugged beneath this hypervisor, with the refresh bit and DMA range
     * the guest is told ({@link #advertise}); without load/store interpretation the device's
     * register writes are intercepted from now on.
     */
    public ZpciFunction.Builder functionBuilder(Device device, long hostSdma, long hostEdma) {
        AdvertisedFunction adv = advertise(hostSdma, hostEdma);
        if (!profile.interpretsLoadStore()) {
            device.setMmio(this::pciStore);
        }
        return ZpciFunction.builder(device, this).tlbRefresh(adv.refresh()).dmaRange(adv.sdma(), adv.edma());
    }

    /** This hypervisor's state for {@code fn}: its shadow and DMA count, created on first use. */
    public ShadowedFunction function(ZpciFunction fn) {
        return functions.computeIfAbsent(fn, f ->
                new ShadowedFunction(profile, counters,
                        new DmaLimit(profile.countsDmaEntries() ? dmaEntryLimit : Long.MAX_VALUE), f.trace()));
    }

    /**
     * Plugs the device behind {@code fn}: its IOTLB of {@code iotlbEntries} entries fills from the
     * host IOMMU's mappings, i.e. the shadow, and the host's unmaps invalidate it.
     */
    public IotlbDevice plug(ZpciFunction fn, int iotlbEntries) {
        if (fn.rpcitHandler() != this) {
            throw new IllegalArgumentException(fn + " belongs to another platform, not this " + profile + " hypervisor");
        }
        ShadowedFunction f = function(fn);
        IotlbDevice dev = new IotlbDevice(fn.device().name(), f, iotlbEntries);
        f.plug(dev);
        return dev;
    }

    /**
     * An intercepted PCI store (PCISTG) without zPCI interpretation: the same exit as an RPCIT,
     * then {@code pcistg_service_call} and the vfio region write under the global lock.
     */
    private void pciStore(Cpu cpu) {
        HypervisorCosts costs = profile.costs();
        cpu.spend(costs.rpcitExit());
        bql.lock(cpu);
        try {
            counters.pciStores++;
            HypervisorCosts.spend(cpu, costs.pciStore(), 1);
        } finally {
            bql.unlock(cpu);
        }
    }

    /**
     * Relaxed translation: {@code fn}'s guest registers its IOAT with translation off, so its
     * {@code guestRamBytes} of RAM are mapped at SDMA + guest-physical address and pinned, and the
     * guest issues no RPCIT for it.
     *
     * @throws IllegalArgumentException when the profile does not offer relaxed translation
     */
    public void directMapEnable(ZpciFunction fn, long guestRamBytes) {
        if (!profile.relaxedTranslation()) {
            throw new IllegalArgumentException("profile " + profile + " has no relaxed translation; use qemu-10.0");
        }
        function(fn).directMapEnable(fn.startDma(), guestRamBytes);
    }

    @Override
    public void ioatChanged(ZpciFunction fn) {
        function(fn).ioatChanged();
    }

    @Override
    public RpcitResult rpcit(Cpu cpu, ZpciFunction fn, long dmaAddr, long length) {
        cpu.spend(profile.costs().rpcitExit());
        bql.lock(cpu);
        try {
            cpu.spend(profile.costs().rpcitLocked());
            counters.exits++;
            RpcitResult injected = faults.draw();
            if (injected != null) {
                return injected;
            }
            DmaTable ioat = fn.ioat();
            long end = dmaAddr + length;
            if (ioat == null || end < fn.startDma() || dmaAddr > fn.endDma()) {
                return RpcitResult.error(RpcitResult.ZPCI_PCI_ST_FUNC_IN_ERR);
            }
            if (lastFn != fn) {
                lastShadowed = function(fn);
                lastFn = fn;
            }
            if (lastShadowed.refresh(cpu, ioat, dmaAddr, end)) {
                return RpcitResult.OK;
            }
            counters.insufficientResources++;
            return RpcitResult.INSUFFICIENT_RESOURCES;
        } finally {
            bql.unlock(cpu);
        }
    }

    /** What this hypervisor did so far; read after a run or when no RPCIT is in flight. */
    public HypervisorStats stats() {
        return counters.snapshot();
    }
}
