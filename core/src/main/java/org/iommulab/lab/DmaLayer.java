package org.iommulab.lab;

import java.util.Map;
import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.DmaIommuSnapshot;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCore;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iova.Iova;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.MapFailure;
import org.iommulab.policy.DmaSetup;
import org.iommulab.sim.Engine;
import org.iommulab.stats.FlushQueueCounts;
import org.iommulab.stats.PageCounts;
import org.iommulab.stats.StaleWindowTracker;

/**
 * dma-iommu set up on a device the way an invalidation policy asks ({@link DmaSetup.Iommu}):
 * strict through {@code iommu.strict=1}, the queues' options and kind from the policy, or what
 * the kernel itself chooses. s390 also sets {@code iommu.forcedac}, as {@code s390_iommu_init()} does.
 */
final class DmaLayer {

    private static final int PAGE_SHIFT = 12;

    private final DmaIommuLayer dma;
    private final Device dev;

    private DmaLayer(DmaIommuLayer dma, Device dev) {
        this.dma = dma;
        this.dev = dev;
    }

    /** Probes {@code dev} through {@code driver} and gives it dma-iommu ops set up as {@code s}'s policy asks. */
    static DmaLayer attach(Engine engine, IommuDriver driver, Device dev, Scenario s, boolean forcedac) {
        if (!(s.dmaSetup() instanceof DmaSetup.Iommu setup)) {
            throw new IllegalArgumentException("DMA mode " + s.dma().name() + " does not use dma-iommu, which is all "
                    + s.platform().cliName() + " has");
        }
        IommuBootParams params = s.kernel().apply(IommuBootParams.defaults().withForcedac(forcedac).withStrict(setup.strict()));
        DmaIommuLayer dma = new DmaIommuLayer(engine, params, setup.options(), setup.queues());
        IommuCore core = new IommuCore(params, driver, dma);
        int ret = core.probeDevice(dev);
        if (ret != 0) {
            throw new IllegalStateException("probing " + dev + " failed: " + Errno.name(ret));
        }
        return new DmaLayer(dma, dev);
    }

    IommuDmaOps dmaIommu() {
        IommuDmaOps ops = dma.dmaIommu(dev);
        if (ops == null) {
            throw new IllegalStateException(dev + " has no dma-iommu ops");
        }
        return ops;
    }

    FlushQueueCounts flushQueue() {
        DmaIommuSnapshot c = dmaIommu().counters();
        return new FlushQueueCounts(c.queueFullFlushes(), c.timerFlushes());
    }

    /** Pages mapped through the DMA layer, and pages whose unmap {@code tracker} has seen. */
    PageCounts pages(StaleWindowTracker tracker) {
        long unmapped = tracker.windowsNs().getTotalCount() + tracker.pendingPages();
        return new PageCounts(dmaIommu().counters().bytesMapped() >>> PAGE_SHIFT, unmapped);
    }

    Map<MapFailure, Long> mapErrorsByCause() {
        return dmaIommu().counters().mapErrorsByCause();
    }

    /** The queue options in effect, or null when the domain is strict. */
    DmaIommuOptions flushQueueOptions() {
        return dmaIommu().type() == DomainType.DMA_FQ ? dmaIommu().options() : null;
    }

    /** The domain's aperture. */
    DomainGeometry aperture() {
        return dmaIommu().domain().geometry();
    }

    /** Bytes of IOVA tree nodes in use now. */
    long iovaBytes() {
        return dmaIommu().iovad().nodeCount() * Iova.BYTES;
    }
}
