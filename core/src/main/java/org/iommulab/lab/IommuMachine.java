package org.iommulab.lab;

import java.util.Map;
import org.iommulab.arm.SmmuV3;
import org.iommulab.fault.FaultInjector;
import org.iommulab.fault.FaultKind;
import org.iommulab.intel.X86Iommu;
import org.iommulab.intel.X86IommuConfig;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.kernel.MapFailure;
import org.iommulab.pgtable.PgtableDomain;
import org.iommulab.platform.qemu.VirtioIommuHost;
import org.iommulab.platform.qemu.VirtualVtd;
import org.iommulab.platform.qemu.VirtualVtdStats;
import org.iommulab.sim.Engine;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.HypervisorCounts;
import org.iommulab.stats.MemoryUse;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.RpcitCounts;
import org.iommulab.stats.StaleWindowTracker;
import org.iommulab.virtio.VirtioIommu;
import org.iommulab.virtio.VirtioIommuConfig;
import org.iommulab.virtio.VirtioIommuDomain;

/**
 * A non-s390 machine: one device behind an IOMMU driver, driven by dma-iommu. Two kinds:
 * <ul>
 *   <li>{@link #virtio}: a guest with a virtio-iommu backed by vfio on the host; each kick is an
 *       exit to the VMM and the host's vfio calls are its hypervisor work. The driver leaves
 *       {@code shadow_on_flush} clear, as upstream does; the lazy modes choose their queue
 *       explicitly ({@code auto} is strict there, see {@link org.iommulab.policy.Policies#AUTO});
 *   <li>{@link #x86}: bare metal with a VT-d / AMD-Vi style IOMMU and no hypervisor, or a guest's
 *       virtual VT-d in caching mode, whose invalidations QEMU resyncs its shadow from;
 *   <li>{@link #smmuv3}: an Arm server on bare metal with an SMMUv3 and its shared command queue.
 * </ul>
 */
final class IommuMachine implements Machine {

    private final Device dev;
    private final DmaLayer dmaLayer;
    private final StaleWindowTracker tracker;
    private final VirtioIommu virtio;
    private final VirtioIommuHost virtioHost;
    private final VirtualVtd vtd;
    private final FaultInjector faults;

    private IommuMachine(Device dev, DmaLayer dmaLayer, StaleWindowTracker tracker, VirtioIommu virtio,
            VirtioIommuHost virtioHost, VirtualVtd vtd, FaultInjector faults) {
        this.faults = faults;
        this.dev = dev;
        this.dmaLayer = dmaLayer;
        this.tracker = tracker;
        this.virtio = virtio;
        this.virtioHost = virtioHost;
        this.vtd = vtd;
    }

    static IommuMachine virtio(Engine engine, Scenario s, StaleWindowTracker tracker, FaultInjector faults) {
        Device dev = device(s);
        VirtioIommuHost host = new VirtioIommuHost(tracker, faults.attr(FaultKind.VIRTIO_ERROR));
        VirtioIommu driver = new VirtioIommu(engine, VirtioIommuConfig.defaults(), tracker, host);
        return new IommuMachine(dev, DmaLayer.attach(engine, driver, dev, s, false), tracker, driver, host, null, faults);
    }

    static IommuMachine smmuv3(Engine engine, Scenario s, StaleWindowTracker tracker, FaultInjector faults) {
        Device dev = device(s);
        SmmuV3 driver = new SmmuV3(engine, s.smmu(), tracker, faults);
        return new IommuMachine(dev, DmaLayer.attach(engine, driver, dev, s, false), tracker, null, null, null, faults);
    }

    static IommuMachine x86(Engine engine, Scenario s, StaleWindowTracker tracker, X86IommuConfig config,
            FaultInjector faults) {
        Device dev = device(s);
        VirtualVtd qemu = config.cachingMode() ? new VirtualVtd(engine, tracker) : null;
        X86Iommu driver = new X86Iommu(engine, config, tracker, qemu, faults);
        return new IommuMachine(dev, DmaLayer.attach(engine, driver, dev, s, false), tracker, null, null, qemu, faults);
    }

    /** The workload's device; {@code --fault iova-space} becomes the bus's limit upstream of it. */
    private static Device device(Scenario s) {
        Device dev = new Device(s.workload().deviceName());
        dev.setBusDmaLimit(s.faults().iovaSpace() == 0 ? 0 : s.faults().iovaSpace() - 1);
        return dev;
    }

    /** Virtio-iommu requests the host failed; the other platforms here refuse nothing. */
    @Override
    public long platformRefusals() {
        return virtioHost == null ? 0 : virtioHost.errors();
    }

    @Override
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public Device[] devices() {
        return new Device[] {dev};
    }

    @Override
    public String hvProfile() {
        return null;
    }

    @Override
    public RpcitCounts rpcit() {
        return RpcitCounts.NONE;
    }

    @Override
    public PageCounts pages() {
        if (virtioHost != null) {
            return new PageCounts(virtioHost.pagesMapped(), virtioHost.pagesUnmapped());
        }
        return dmaLayer.pages(tracker);
    }

    @Override
    public FlushQueueCounts flushQueue() {
        return dmaLayer.flushQueue();
    }

    @Override
    public HypervisorCounts hypervisor() {
        if (vtd != null) {
            VirtualVtdStats v = vtd.stats();
            return new HypervisorCounts(v.exits(), 0, v.entriesWalked(), 0, v.hostMaps(), v.hostUnmaps(), v.hostUnmaps(),
                    0, v.peakShadowEntries());
        }
        if (virtio == null) {
            return HypervisorCounts.NONE;
        }
        return new HypervisorCounts(virtio.stats().kicks(), 0, 0, 0, virtioHost.vfioMaps(), virtioHost.vfioUnmaps(), 0, 0,
                0);
    }

    @Override
    public MemoryUse memory() {
        long tables = dmaLayer.dmaIommu().domain().ops() instanceof PgtableDomain d ? d.tableMemoryBytes() : 0;
        return new MemoryUse(dmaLayer.iovaBytes(), tables);
    }

    /** The host IOMMU behind virtio-iommu, the VT-d IOTLB and tables on x86, the SMMU's on Arm. */
    @Override
    public DeviceTranslation plugDevice() {
        Object ops = dmaLayer.dmaIommu().domain().ops();
        if (vtd != null) {
            return vtd.plug(dev.name(), X86IommuConfig.defaults().iotlbEntries());
        }
        if (ops instanceof PgtableDomain d) {
            return DeviceTranslation.of(d::translate, d::iotlbMisses);
        }
        // the host IOMMU's own IOTLB is not modelled: no access counts as a miss
        return DeviceTranslation.uncached(((VirtioIommuDomain) ops)::translate);
    }

    @Override
    public Map<MapFailure, Long> mapErrorsByCause() {
        return dmaLayer.mapErrorsByCause();
    }

    @Override
    public DomainGeometry aperture() {
        return dmaLayer.aperture();
    }

    @Override
    public DmaIommuOptions flushQueueOptions() {
        return dmaLayer.flushQueueOptions();
    }
}
