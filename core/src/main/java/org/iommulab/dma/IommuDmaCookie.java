package org.iommulab.dma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.IommuDomain;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.iommu.IovaCookie;
import org.iommulab.iova.IovaDomain;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;

/**
 * {@code struct iommu_dma_cookie} of drivers/iommu/dma-iommu.c (v6.7), IOVA kind: the domain's
 * IOVA allocator, its flush-queue options (set whatever the domain type, so that a later live
 * DMA -> DMA-FQ upgrade gets the right queue) and, once {@code iommu_dma_init_fq} ran, its
 * queues ({@link FlushQueues} or another {@link DeferredFlush}). A non-null queue object plays the kernel's {@code fq_domain}: unmaps that
 * see it queue their IOVAs, the others sync and free at once. MSI cookies are not modelled.
 */
public final class IommuDmaCookie implements IovaCookie {

    private static final VarHandle FQ;

    static {
        try {
            FQ = MethodHandles.lookup().findVarHandle(IommuDmaCookie.class, "fq", DeferredFlush.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Engine engine;
    private final IommuDomain domain;
    private final IovaDomain iovad;
    private final DmaIommuOptions options;
    private final String name;
    private final DmaIommuCounters stats;
    private final DeferredFlush.Factory queueFactory;
    /** The lowest pfn no reserved region covers: a device whose mask ends below it can map nothing. */
    private long firstUsablePfn;
    /** {@code fq_domain}: null until the queues exist; accessed only through {@link #FQ}. */
    @SuppressWarnings("unused")
    private DeferredFlush fq;

    IommuDmaCookie(Engine engine, String name, IommuDomain domain, IovaDomain iovad, DmaIommuOptions options,
            DeferredFlush.Factory queueFactory) {
        this.queueFactory = queueFactory;
        this.engine = engine;
        this.name = name;
        this.domain = domain;
        this.iovad = iovad;
        this.options = options;
        this.stats = new DmaIommuCounters(engine.nrCpus());
    }

    IovaDomain iovad() {
        return iovad;
    }

    DmaIommuOptions options() {
        return options;
    }

    DmaIommuCounters stats() {
        return stats;
    }

    long firstUsablePfn() {
        return firstUsablePfn;
    }

    /** Set once at init, after the reserved regions, before the device gets its DMA ops. */
    void setFirstUsablePfn(long pfn) {
        firstUsablePfn = pfn;
    }

    /**
     * {@code READ_ONCE(cookie->fq_domain)} on the unmap path. Acquire pairs with the release in
     * {@link #initFq}: whoever sees the queues sees them fully built.
     */
    DeferredFlush fqDomain() {
        return (DeferredFlush) FQ.getAcquire(this);
    }

    @Override
    public synchronized int initFq() {
        if (fqDomain() != null) {
            return 0;
        }
        DeferredFlush queues = queueFactory.create(new DeferredFlushContext(engine, name, options,
                domain::iommuFlushIotlbAll, this::flushRange, iovad::freeIovaFast, stats.flushQueues));
        // smp_wmb() + WRITE_ONCE(fq_domain): a release store, so the rings, locks and timer built
        // above are visible to any CPU whose acquire load finds the queues.
        FQ.setRelease(this, queues);
        return 0;
    }

    /** {@code iommu_iotlb_sync} over one range, with a gather of its own (any CPU may call it). */
    private void flushRange(Cpu cpu, long pfn, long pages) {
        IotlbGather gather = new IotlbGather();
        gather.addRange(pfn << iovad.iovaShift(), pages << iovad.iovaShift());
        domain.iommuIotlbSync(cpu, gather);
    }

    /**
     * {@code iommu_dma_free_iova}: a range unmapped under queues {@code fq} goes into them; with
     * none (strict, already synced) it returns to the allocator at once.
     */
    void freeIova(Cpu cpu, long iova, long size, DeferredFlush fq) {
        long pfn = iovad.iovaPfn(iova);
        long pages = size >>> iovad.iovaShift();
        if (fq != null) {
            fq.queueIova(cpu, pfn, pages);
        } else {
            iovad.freeIovaFast(cpu, pfn, pages);
        }
    }

    @Override
    public synchronized void put() {
        DeferredFlush queues = fqDomain();
        if (queues != null) {
            queues.free();
        }
        iovad.putIovaDomain(engine.cpu(0));
    }

    /** The counters so far, with the queues' occupancy. */
    DmaIommuSnapshot counters() {
        DeferredFlush queues = fqDomain();
        return queues == null
                ? stats.snapshot(0, 0, 0, 0)
                : stats.snapshot(queues.entriesQueued(), queues.entriesFreed(), queues.peakOccupancy(),
                        queues.occupancy());
    }
}
