package org.iommulab.dma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuDmaHooks;
import org.iommulab.iommu.IommuDomain;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.iova.IovaDomain;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Engine;

/**
 * The dma-iommu layer of one machine, drivers/iommu/dma-iommu.c (v6.7): what
 * {@code iommu_setup_dma_ops} and {@code iommu_dma_init_domain} do when the IOMMU core hands a
 * device its default domain. For a DMA or DMA-FQ domain it builds the cookie with an
 * {@link IovaDomain} whose granule is the smallest page size and whose first pfn is the aperture
 * start (at least 1), chooses the flush-queue options, brings up the queues for DMA-FQ (falling
 * back to strict without {@link IommuCap#DEFERRED_FLUSH}), reserves the driver's reserved regions
 * and installs {@link IommuDmaOps}; any other domain gets {@link DmaDirect}.
 *
 * <p>Options ({@code iommu_dma_init_options}): per-CPU queues of 256 entries and 10 ms, or one
 * queue of 32768 entries and 1000 ms when the device has {@code shadow_on_flush} or the boot
 * parameters ask for the single queue everywhere; then the driver's v7 {@code tune_dma_iommu} may
 * change them. A driver's size that is not a power of 2 falls back to 256 and a timeout below 1 ms
 * to 10 ms, each with a warning (the v7 patch's {@code WARN_ON_ONCE}). Options a user gave
 * override all of this and were checked when given.
 */
public final class DmaIommuLayer implements IommuDmaHooks {

    private final Engine engine;
    private final IommuBootParams params;
    private final DmaIommuOptions userOptions;
    private final DeferredFlush.Factory queueFactory;
    private final Map<Device, IommuDmaOps> ops = new ConcurrentHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /** The layer with the options the kernel would choose. */
    public DmaIommuLayer(Engine engine, IommuBootParams params) {
        this(engine, params, null);
    }

    /**
     * The layer with the kernel's queues.
     *
     * @param userOptions flush-queue options for every device, from {@link DmaIommuOptions#checked},
     *     or null for the kernel's choice
     */
    public DmaIommuLayer(Engine engine, IommuBootParams params, DmaIommuOptions userOptions) {
        this(engine, params, userOptions, DeferredFlush.kernelQueues());
    }

    /**
     * The layer with another queueing policy for DMA-FQ domains.
     *
     * @param userOptions as above
     * @param queueFactory builds each DMA-FQ domain's queues
     */
    public DmaIommuLayer(Engine engine, IommuBootParams params, DmaIommuOptions userOptions,
            DeferredFlush.Factory queueFactory) {
        this.queueFactory = queueFactory;
        if (userOptions != null) {
            DmaIommuOptions.checked(userOptions.queueType(), userOptions.fqSize(), userOptions.fqTimeoutMs());
        }
        this.engine = engine;
        this.params = params;
        this.userOptions = userOptions;
    }

    @Override
    public void setupDmaOps(IommuDriver driver, Device dev, IommuDomain domain) {
        ops.remove(dev);
        if (!domain.type().isDma()) {
            dev.setDmaOps(new DmaDirect());
            return;
        }
        IommuDmaCookie cookie = initDomain(driver, dev, domain);
        IommuDmaOps dmaIommu = new IommuDmaOps(domain, cookie, engine.nrCpus(), params.forcedac(), params.optSizeCap());
        ops.put(dev, dmaIommu);
        dev.setDmaOps(dmaIommu);
    }

    /**
     * {@code iommu_dma_init_domain}. The aperture end is not reserved here: every allocation is
     * limited to it instead, as the kernel does.
     */
    private IommuDmaCookie initDomain(IommuDriver driver, Device dev, IommuDomain domain) {
        int order = Long.numberOfTrailingZeros(domain.pgsizeBitmap());
        long basePfn = 1;
        DomainGeometry geometry = domain.geometry();
        if (geometry.forceAperture()) {
            basePfn = Math.max(basePfn, geometry.apertureStart() >>> order);
        }
        IovaDomain iovad = new IovaDomain(engine, 1L << order, basePfn);
        iovad.initRcaches(params.rcacheMaxOrder());
        IommuDmaCookie cookie = new IommuDmaCookie(engine, dev.name(), domain, iovad, initOptions(driver, dev),
                queueFactory);
        domain.setIovaCookie(cookie);
        if (domain.type() == DomainType.DMA_FQ
                && (!driver.capable(dev, IommuCap.DEFERRED_FLUSH) || cookie.initFq() != 0)) {
            domain.setType(DomainType.DMA);
        }
        List<ReservedRegion> reserved = driver.getResvRegions(dev);
        for (ReservedRegion r : reserved) {
            iovad.reserveIova(engine.cpu(0), iovad.iovaPfn(r.start()), iovad.iovaPfn(r.end()));
        }
        cookie.setFirstUsablePfn(firstUsablePfn(iovad, basePfn, reserved));
        return cookie;
    }

    /** The lowest pfn from {@code basePfn} up that no reserved region covers (s390 reserves all below its start_dma). */
    private static long firstUsablePfn(IovaDomain iovad, long basePfn, List<ReservedRegion> reserved) {
        long pfn = basePfn;
        for (boolean moved = true; moved; ) {
            moved = false;
            for (ReservedRegion r : reserved) {
                if (iovad.iovaPfn(r.start()) <= pfn && pfn <= iovad.iovaPfn(r.end())) {
                    pfn = iovad.iovaPfn(r.end()) + 1;
                    moved = true;
                }
            }
        }
        return pfn;
    }

    /** {@code iommu_dma_init_options} with the v7 driver callback. */
    private DmaIommuOptions initOptions(IommuDriver driver, Device dev) {
        DmaIommuOptions chosen = dev.iommu().shadowOnFlush() || params.singleQueueForAll()
                ? DmaIommuOptions.singleDefaults()
                : DmaIommuOptions.perCpuDefaults();
        DmaIommuOptions tuned = driver.tuneDmaIommu(dev, chosen);
        if (tuned != null) {
            int size = tuned.fqSize();
            int timeout = tuned.fqTimeoutMs();
            if (!DmaIommuOptions.validSize(size)) {
                warn(dev + ": driver " + driver.name() + " asked for flush queue size " + size
                        + ", not a power of 2; using " + DmaIommuOptions.DEFAULT_FQ_SIZE);
                size = DmaIommuOptions.DEFAULT_FQ_SIZE;
            }
            if (timeout < 1) {
                warn(dev + ": driver " + driver.name() + " asked for flush queue timeout " + timeout
                        + " ms; using " + DmaIommuOptions.DEFAULT_FQ_TIMEOUT_MS + " ms");
                timeout = DmaIommuOptions.DEFAULT_FQ_TIMEOUT_MS;
            }
            chosen = new DmaIommuOptions(tuned.queueType(), size, timeout);
        }
        return userOptions != null ? userOptions : chosen;
    }

    private synchronized void warn(String message) {
        warnings.add(message);
    }

    /** The warnings the kernel would have logged, oldest first. */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The dma-iommu ops of a device, or null when it has none (identity, not probed). */
    public IommuDmaOps dmaIommu(Device dev) {
        return ops.get(dev);
    }
}
