package org.iommulab.virtio;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Engine;

/**
 * The virtio-iommu guest driver (drivers/iommu/virtio-iommu.c, Linux 6.8) with the device it talks
 * to. Since "iommu/virtio: Make use of ops->iotlb_sync_map" and "iommu/virtio: Add
 * ops->flush_iotlb_all and enable deferred flush" (v6.8), map and unmap only queue requests and the
 * three sync operations kick the queue; the driver is capable of deferred flush. Upstream does not
 * set {@code shadow_on_flush}; {@link VirtioIommuConfig#shadowOnFlush()} does, so the single flush
 * queue the series intended for this platform can be tried.
 *
 * <p>Left out: the event queue (fault reports), probe requests, identity and bypass domains.
 */
public final class VirtioIommu implements IommuDriver {

    private final Engine engine;
    private final VirtioIommuConfig config;
    private final IommuTrace tracker;
    private final VirtioIommuBackend host;
    private final RequestVirtqueue vq;
    private final AtomicInteger nextDomainId = new AtomicInteger(1);

    /**
     * @param tracker where unmapped pages and the UNMAPs that end their reach are reported, or null;
     *     one tracker measures the windows of one domain (its page frames are IOVA page frames)
     * @param host the device on the host that carries out the requests
     */
    public VirtioIommu(Engine engine, VirtioIommuConfig config, IommuTrace tracker, VirtioIommuBackend host) {
        this.engine = engine;
        this.config = config;
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
        this.host = host;
        this.vq = new RequestVirtqueue(engine, config.queueSize(), host);
        engine.metrics().unit("virtio")
                .counter("kicks", vq::kicks)
                .counter("mapRequests", vq::mapRequests)
                .counter("unmapRequests", vq::unmapRequests)
                .counter("otherRequests", vq::otherRequests)
                .counter("queueFullSyncs", vq::queueFullSyncs)
                .counter("errors", vq::errors);
    }

    @Override
    public String name() {
        return "virtio-iommu";
    }

    @Override
    public boolean capable(Device dev, IommuCap cap) {
        return switch (cap) {
            case CACHE_COHERENCY, DEFERRED_FLUSH -> true;
        };
    }

    @Override
    public int probeDevice(Device dev) {
        if (config.shadowOnFlush()) {
            dev.iommu().setShadowOnFlush(true);
        }
        return 0;
    }

    @Override
    public VirtioIommuDomain domainAllocPaging(Device dev) {
        return new VirtioIommuDomain(this, engine);
    }

    @Override
    public List<ReservedRegion> getResvRegions(Device dev) {
        return List.of(ReservedRegion.SOFTWARE_MSI);
    }

    /** The device side: what each endpoint can reach through the host IOMMU. */
    VirtioIommuBackend host() {
        return host;
    }

    /** Requests and kicks so far. */
    public VirtioIommuStats stats() {
        return new VirtioIommuStats(vq.kicks(), vq.mapRequests(), vq.unmapRequests(), vq.otherRequests(),
                vq.queueFullSyncs(), vq.errors());
    }

    VirtioIommuConfig config() {
        return config;
    }

    RequestVirtqueue vq() {
        return vq;
    }

    IommuTrace tracker() {
        return tracker;
    }

    /** A domain id from the device's range, as {@code viommu_domain_finalise} takes one. */
    int allocDomainId() {
        return nextDomainId.getAndIncrement();
    }
}
