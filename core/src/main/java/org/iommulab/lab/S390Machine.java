package org.iommulab.lab;

import java.util.Map;
import java.util.function.Function;
import org.iommulab.fault.FaultInjector;
import org.iommulab.fault.FaultKind;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.MapFailure;
import org.iommulab.platform.PlatformKind;
import org.iommulab.platform.RpcitFaults;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.platform.lpar.LparFirmware;
import org.iommulab.platform.shadow.HypervisorProfile;
import org.iommulab.platform.shadow.HypervisorStats;
import org.iommulab.platform.shadow.ShadowingHypervisor;
import org.iommulab.policy.DmaSetup;
import org.iommulab.s390.S390Iommu;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.s390.ZpciIommuCtrs;
import org.iommulab.s390.legacy.LegacyS390Dma;
import org.iommulab.sim.Engine;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.HypervisorCounts;
import org.iommulab.stats.MemoryUse;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.RpcitCounts;
import org.iommulab.stats.StaleWindowTracker;

/**
 * An s390 guest with one PCI function: in an LPAR (firmware executes RPCIT) or beneath a shadowing
 * hypervisor (KVM/QEMU or z/VM), driven either by dma-iommu through the s390 IOMMU driver or by
 * the old s390 DMA API. The function's hardware DMA range starts at 4 GiB, as firmware and QEMU
 * give it, and reaches the end of the 4 TiB tables; the guest's aperture is then its memory size
 * ({@code s390_iommu_aperture=1}), or what the hypervisor advertises.
 */
final class S390Machine implements Machine {

    /** {@code s390_iommu_aperture=}: the default factor of 1. */
    static final int APERTURE_FACTOR = 1;
    /** The function's hardware start of DMA, 4 GiB. */
    static final long HOST_SDMA = 0x1_0000_0000L;
    /** The function's hardware end of DMA: the top of the 4 TiB the tables reach. */
    static final long HOST_EDMA = (1L << 42) - 1;

    private final Device dev;
    private final ZpciFunction fn;
    private final TableMemory tables;
    private final FaultInjector faults;
    private final LparFirmware lpar;
    private final ShadowingHypervisor hypervisor;
    private IotlbDevice hardware;
    private final DmaLayer dmaLayer;
    private final LegacyS390Dma legacy;

    /**
     * @param faults injected into the RPCIT handler, the hypervisor's DMA limit, the table
     *     allocator, and the function's DMA range ({@code iova-space} ends it that far above its start)
     */
    S390Machine(Engine engine, Scenario s, StaleWindowTracker tracker, FaultInjector faults) {
        this.dev = new Device(s.workload().deviceName());
        this.faults = faults;
        this.tables = new TableMemory(Long.MAX_VALUE, faults.attr(FaultKind.TABLE_ALLOC));
        long memoryBytes = (long) s.guestMemoryGiB() << 30;
        long hostEdma = s.faults().iovaSpace() == 0 ? HOST_EDMA : HOST_SDMA + s.faults().iovaSpace() - 1;
        RpcitFaults rpcitFaults = new RpcitFaults(faults);
        Function<Device, ZpciFunction.Builder> builders;
        if (s.platform() == PlatformKind.LPAR) {
            this.hypervisor = null;
            this.lpar = new LparFirmware(rpcitFaults);
            builders = d -> lpar.functionBuilder(d).dmaRange(HOST_SDMA, hostEdma);
        } else {
            HypervisorProfile profile = s.platform() == PlatformKind.ZVM ? HypervisorProfile.ZVM
                    : s.hvProfile() == null ? HypervisorProfile.DEFAULT : HypervisorProfile.byName(s.hvProfile());
            if (s.platform() == PlatformKind.KVM && profile == HypervisorProfile.ZVM) {
                throw new IllegalArgumentException("--hv-profile zvm is the z/VM platform; use --platform zvm");
            }
            this.lpar = null;
            long limit = s.faults().hvDmaLimit() == 0 ? ShadowingHypervisor.DEFAULT_DMA_ENTRY_LIMIT : s.faults().hvDmaLimit();
            this.hypervisor = new ShadowingHypervisor(engine, profile, limit, rpcitFaults);
            builders = d -> hypervisor.functionBuilder(d, HOST_SDMA, hostEdma);
        }
        this.fn = builders.apply(dev).trace(tracker).build();
        if (s.dmaSetup() instanceof DmaSetup.LegacyS390 old) {
            this.legacy = new LegacyS390Dma(engine, fn, tables, old.options(memoryBytes));
            this.dmaLayer = null;
            dev.setDmaOps(legacy);
        } else {
            S390Iommu driver = new S390Iommu(memoryBytes, APERTURE_FACTOR, tables);
            driver.addFunction(fn);
            this.legacy = null;
            this.dmaLayer = DmaLayer.attach(engine, driver, dev, s, true);
            attachSiblings(driver, builders, s.functions() - 1);
        }
    }

    /**
     * Idle functions sharing the device's domain, as the functions of one IOMMU group do: they do
     * no DMA of their own, but {@code s390_iommu_iotlb_sync}, {@code _sync_map} and
     * {@code flush_iotlb_all} walk the domain's function list and issue an RPCIT for each, and a
     * shadowing hypervisor resyncs each one's shadow.
     */
    private void attachSiblings(S390Iommu driver, Function<Device, ZpciFunction.Builder> builders, int count) {
        for (int i = 1; i <= count; i++) {
            Device sibling = new Device(dev.name() + "f" + i);
            driver.addFunction(builders.apply(sibling).build());
            int ret = dmaLayer.dmaIommu().domain().ops().attachDev(sibling);
            if (ret != 0) {
                throw new IllegalStateException("attaching " + sibling + " to " + dev + "'s domain failed: " + Errno.name(ret));
            }
        }
    }

    @Override
    public Device[] devices() {
        return new Device[] {dev};
    }

    /** RPCITs the hypervisor had no resources for, and those answered out of resources or in error by injection. */
    @Override
    public long platformRefusals() {
        Map<String, Long> injected = faults.injected();
        return rpcit().outOfResource() + injected.get(FaultKind.RPCIT_OOR.cliName())
                + injected.get(FaultKind.RPCIT_ERROR.cliName());
    }

    @Override
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public String hvProfile() {
        return hypervisor == null ? null : hypervisor.profile().name();
    }

    @Override
    public RpcitCounts rpcit() {
        ZpciIommuCtrs c = fn.iommuCtrs();
        long outOfResource = hypervisor == null ? 0 : hypervisor.stats().insufficientResources();
        return new RpcitCounts(c.globalRpcits(), c.syncMapRpcits(), c.syncRpcits(), outOfResource);
    }

    @Override
    public PageCounts pages() {
        ZpciIommuCtrs c = fn.iommuCtrs();
        return new PageCounts(c.mappedPages(), c.unmappedPages());
    }

    @Override
    public FlushQueueCounts flushQueue() {
        return dmaLayer == null ? FlushQueueCounts.NONE : dmaLayer.flushQueue();
    }

    @Override
    public HypervisorCounts hypervisor() {
        if (hypervisor == null) {
            return HypervisorCounts.NONE;
        }
        HypervisorStats h = hypervisor.stats();
        return new HypervisorCounts(h.exits(), h.pciStores(), h.pagesWalked(), h.shadowLookups(), h.hostMaps(),
                h.hostUnmapCalls(), h.hostUnmapPages(), h.emptyHostUnmapCalls(), h.peakShadowEntries());
    }

    /** How often the old scheme's allocator wrapped; 0 under dma-iommu. */
    long legacyWraps() {
        return legacy == null ? 0 : legacy.wraps();
    }

    @Override
    public MemoryUse memory() {
        long iova = dmaLayer != null ? dmaLayer.iovaBytes() : legacyBitmapBytes();
        return new MemoryUse(iova, tables.peakBytes());
    }

    /** The iommu bitmap, one bit a page, and in lazy mode the lazy bitmap of the same size. */
    private long legacyBitmapBytes() {
        long one = (legacy.allocator().iommuPages() + 63) / 64 * Long.BYTES;
        return legacy.strict() ? one : 2 * one;
    }

    @Override
    public synchronized DeviceTranslation plugDevice() {
        if (hardware == null) {
            hardware = lpar != null ? lpar.plug(fn, IOTLB_ENTRIES) : hypervisor.plug(fn, IOTLB_ENTRIES);
        }
        return hardware;
    }

    @Override
    public Map<MapFailure, Long> mapErrorsByCause() {
        return dmaLayer != null ? dmaLayer.mapErrorsByCause() : legacy.mapErrorsByCause();
    }

    @Override
    public DomainGeometry aperture() {
        // The domain's geometry spans the whole table; the function's DMA range is what is handed out.
        return new DomainGeometry(fn.startDma(), fn.endDma(), true);
    }

    @Override
    public DmaIommuOptions flushQueueOptions() {
        return dmaLayer == null ? null : dmaLayer.flushQueueOptions();
    }
}
