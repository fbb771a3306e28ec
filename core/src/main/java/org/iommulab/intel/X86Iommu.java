package org.iommulab.intel;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.iommulab.fault.FaultInjector;
import org.iommulab.fault.FaultKind;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;
import org.iommulab.pgtable.TaggedIotlb;
import org.iommulab.sim.Engine;

/**
 * An x86 IOMMU, VT-d style (drivers/iommu/intel/iommu.c, v6.7; AMD-Vi's drivers/iommu/amd does the
 * same with a command buffer and COMPLETION_WAIT): one unit with a hardware IOTLB and a
 * queued-invalidation interface, and a 4-level table per domain. On bare metal new mappings need
 * no flush (the IOTLB never holds not-present entries); unmaps are invalidated page-selectively in
 * {@code iotlb_sync} and domain-wide in {@code flush_iotlb_all}, each followed by a wait
 * descriptor. It can defer flushes, so dma-iommu gives its devices flush queues. In caching mode
 * (a guest's virtual VT-d) new mappings are invalidated too, and the queue's tail write goes to the
 * VMM behind the unit ({@link CachingModeHost}).
 *
 * <p>Left out: device IOTLBs (ATS), the context and PASID caches, interrupt remapping.
 */
public final class X86Iommu implements IommuDriver {

    /** {@code IOAPIC_RANGE_START}: the interrupt window every device's domain must leave unused. */
    static final long IOAPIC_RANGE_START = 0xfee0_0000L;
    static final long IOAPIC_RANGE_SIZE = 0x10_0000L;

    private final X86IommuConfig config;
    private final TaggedIotlb iotlb;
    private final InvalidationQueue qi;
    private final IommuTrace tracker;
    /** The VMM behind the unit in caching mode, or null on bare metal. */
    private final CachingModeHost host;
    private final AtomicInteger nextDid = new AtomicInteger(1);
    private final FaultInjector faults;

    /**
     * @param tracker where unmapped pages and their invalidations are reported, or null for none;
     *     one tracker measures the windows of one domain (its page frames are IOVA page frames)
     * @param host the VMM that emulates the unit when {@code config} is in caching mode; null on
     *     bare metal
     */
    public X86Iommu(Engine engine, X86IommuConfig config, IommuTrace tracker, CachingModeHost host) {
        this(engine, config, tracker, host, FaultInjector.NONE);
    }

    /** @param faults the table allocations and invalidation waits that fail */
    public X86Iommu(Engine engine, X86IommuConfig config, IommuTrace tracker, CachingModeHost host,
            FaultInjector faults) {
        if ((host != null) != config.cachingMode()) {
            throw new IllegalArgumentException(config.cachingMode() ? "caching mode needs the VMM that emulates the unit"
                    : "a unit on bare metal has no VMM behind it");
        }
        this.config = config;
        this.iotlb = new TaggedIotlb(config.iotlbEntries());
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
        this.host = host;
        this.faults = faults;
        this.qi = new InvalidationQueue(engine, iotlb, host, faults.attr(FaultKind.INV_TIMEOUT));
        engine.metrics().unit("vtd")
                .counter("psiDescriptors", () -> qi.issued(InvDescriptor.Type.IOTLB_PSI))
                .counter("dsiDescriptors", () -> qi.issued(InvDescriptor.Type.IOTLB_DSI))
                .counter("waitDescriptors", () -> qi.issued(InvDescriptor.Type.WAIT))
                .counter("iotlbHits", iotlb::hits)
                .counter("iotlbMisses", iotlb::misses)
                .counter("invTimeouts", qi::timeouts);
    }

    FaultInjector faults() {
        return faults;
    }

    @Override
    public String name() {
        return "intel-iommu";
    }

    @Override
    public boolean capable(Device dev, IommuCap cap) {
        return switch (cap) {
            case CACHE_COHERENCY, DEFERRED_FLUSH -> true;
        };
    }

    @Override
    public int probeDevice(Device dev) {
        return 0;
    }

    @Override
    public X86IommuDomain domainAllocPaging(Device dev) {
        X86IommuDomain domain = new X86IommuDomain(this, nextDid.getAndIncrement());
        if (host != null) {
            host.register(domain.did(), domain.table());
        }
        return domain;
    }

    @Override
    public List<ReservedRegion> getResvRegions(Device dev) {
        return List.of(new ReservedRegion(IOAPIC_RANGE_START, IOAPIC_RANGE_SIZE, ReservedRegion.Type.MSI));
    }

    @Override
    public boolean supportsIdentity(Device dev) {
        return true;
    }

    /** Descriptors issued and IOTLB use so far. */
    public X86IommuStats stats() {
        return new X86IommuStats(
                qi.issued(InvDescriptor.Type.IOTLB_PSI),
                qi.issued(InvDescriptor.Type.IOTLB_DSI),
                qi.issued(InvDescriptor.Type.WAIT),
                iotlb.hits(),
                iotlb.misses());
    }

    X86IommuConfig config() {
        return config;
    }

    TaggedIotlb iotlb() {
        return iotlb;
    }

    InvalidationQueue qi() {
        return qi;
    }

    IommuTrace tracker() {
        return tracker;
    }
}
