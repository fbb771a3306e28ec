package org.iommulab.ideal;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.config.Records;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;

/**
 * An ideal IOMMU: a driver whose page table is a hash map and whose flushes cost nothing. It is
 * the test driver of the DMA layer and the zero-cost platform of benchmarks, so what they measure
 * is dma-iommu and the IOVA allocator alone. No kernel driver is modelled; it offers what
 * {@code struct iommu_ops} needs, deferred flush and (optionally) {@code shadow_on_flush}.
 *
 * <p>With {@link Config#checkSafety()} every domain feeds an {@link IovaSafetyChecker}, which sees
 * each map, unmap and flush and records any break of the layer's invariants. Given a
 * {@link IommuTrace}, every domain reports its unmaps and flushes to it: a flush is
 * complete the moment it is issued, so the windows measured are the DMA layer's alone.
 */
public final class IdealIommu implements IommuDriver {

    /**
     * The driver's configuration.
     *
     * @param geometry every domain's aperture
     * @param pgsizeBitmap the page sizes its domains map, one bit per size
     * @param deferredFlush whether devices have {@link IommuCap#DEFERRED_FLUSH}
     * @param shadowOnFlush set {@code shadow_on_flush} on every probed device (single queue)
     * @param identity whether identity domains can be had
     * @param reserved regions {@code get_resv_regions} reports
     * @param defDomainType the driver's forced type, or null
     * @param checkSafety give every domain an {@link IovaSafetyChecker}
     * @param nrCpus the CPUs that may call the domains, which count their calls per CPU
     * @param pteLayout how page-table leaves lay out their entries
     */
    public record Config(
            DomainGeometry geometry,
            long pgsizeBitmap,
            boolean deferredFlush,
            boolean shadowOnFlush,
            boolean identity,
            List<ReservedRegion> reserved,
            DomainType defDomainType,
            boolean checkSafety,
            int nrCpus,
            PteLayout pteLayout) {

        /** CPUs a default configuration serves. */
        public static final int DEFAULT_CPUS = 64;

        public Config {
            if (pgsizeBitmap == 0) {
                throw new IllegalArgumentException("page-size bitmap 0; at least one page size is needed");
            }
            if (nrCpus < 1) {
                throw new IllegalArgumentException("ideal IOMMU for " + nrCpus + " CPUs; at least 1 is needed");
            }
            reserved = List.copyOf(reserved);
        }

        /** 4 KiB pages, a 48-bit aperture, deferred flush, per-CPU queues, no checks, packed entries, 64 CPUs. */
        public static Config defaults() {
            return new Config(new DomainGeometry(0, (1L << 48) - 1, true), 4096, true, false, true, List.of(),
                    null, false, DEFAULT_CPUS, PteLayout.PACKED);
        }

        public Config withGeometry(DomainGeometry value) {
            return Records.with(this, "geometry", value);
        }

        public Config withPgsizeBitmap(long value) {
            return Records.with(this, "pgsizeBitmap", value);
        }

        public Config withDeferredFlush(boolean value) {
            return Records.with(this, "deferredFlush", value);
        }

        public Config withShadowOnFlush(boolean value) {
            return Records.with(this, "shadowOnFlush", value);
        }

        public Config withIdentity(boolean value) {
            return Records.with(this, "identity", value);
        }

        public Config withReserved(List<ReservedRegion> value) {
            return Records.with(this, "reserved", value);
        }

        public Config withDefDomainType(DomainType value) {
            return Records.with(this, "defDomainType", value);
        }

        public Config withCheckSafety(boolean value) {
            return Records.with(this, "checkSafety", value);
        }

        public Config withNrCpus(int value) {
            return Records.with(this, "nrCpus", value);
        }

        public Config withPteLayout(PteLayout value) {
            return Records.with(this, "pteLayout", value);
        }
    }

    private final Config config;
    private final IommuTrace tracker;
    private final List<IdealDomain> domains = new ArrayList<>();

    public IdealIommu(Config config) {
        this(config, null);
    }

    /**
     * @param tracker told of every unmapped page and every flush, so it can measure how long each
     *     page stays reachable after its unmap; null to measure nothing
     */
    public IdealIommu(Config config, IommuTrace tracker) {
        this.config = config;
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "ideal";
    }

    @Override
    public boolean capable(Device dev, IommuCap cap) {
        return cap == IommuCap.DEFERRED_FLUSH && config.deferredFlush();
    }

    @Override
    public int probeDevice(Device dev) {
        if (config.shadowOnFlush()) {
            dev.iommu().setShadowOnFlush(true);
        }
        return 0;
    }

    @Override
    public synchronized IommuDomainOps domainAllocPaging(Device dev) {
        IovaSafetyChecker checker = config.checkSafety()
                ? new IovaSafetyChecker(config.geometry(), config.reserved(), config.pgsizeBitmap())
                : null;
        IdealDomain domain = new IdealDomain(config, checker, tracker);
        domains.add(domain);
        return domain;
    }

    @Override
    public List<ReservedRegion> getResvRegions(Device dev) {
        return config.reserved();
    }

    @Override
    public DomainType defDomainType(Device dev) {
        return config.defDomainType();
    }

    @Override
    public boolean supportsIdentity(Device dev) {
        return config.identity();
    }

    /** Every paging domain allocated so far, oldest first. */
    public synchronized List<IdealDomain> domains() {
        return List.copyOf(domains);
    }
}
