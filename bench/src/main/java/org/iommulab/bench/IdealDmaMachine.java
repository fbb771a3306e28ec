package org.iommulab.bench;

import java.util.Locale;
import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.ideal.PteLayout;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCore;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.DmaSetup;
import org.iommulab.policy.Policies;
import org.iommulab.policy.QueueSettings;
import org.iommulab.sim.threads.NativeEngine;

/**
 * dma-iommu on the ideal IOMMU under a {@link NativeEngine} whose costs are free, set up for one
 * 64-bit device the way {@code lab.DmaLayer} does it, as a registered policy asks on x86 with its
 * default settings. What a benchmark on it measures is the Java model's own work.
 */
final class IdealDmaMachine implements AutoCloseable {

    static final long PAGE_SIZE = 4096;

    final NativeEngine engine;
    final Device dev = new Device("bench0");
    final IommuDmaOps ops;
    private final String name;

    /**
     * @param policy a registered policy's name; one that does not use dma-iommu is refused
     * @param layout how the ideal page table lays out its entries
     */
    IdealDmaMachine(String policy, int nrCpus, PteLayout layout) {
        DmaSetup wanted = Policies.byName(policy).setup(PlatformKind.X86, QueueSettings.DEFAULTS);
        if (!(wanted instanceof DmaSetup.Iommu setup)) {
            throw new IllegalArgumentException("policy " + policy + " does not use dma-iommu");
        }
        engine = new NativeEngine(nrCpus);
        IommuBootParams params = IommuBootParams.defaults().withStrict(setup.strict());
        DmaIommuLayer dma = new DmaIommuLayer(engine, params, setup.options(), setup.queues());
        IommuCore core = new IommuCore(params, new IdealIommu(IdealIommu.Config.defaults().withNrCpus(nrCpus).withPteLayout(layout)), dma);
        dev.setDmaMaskBits(64);
        if (core.probeDevice(dev) != 0) {
            throw new IllegalStateException("probing " + dev + " on the ideal IOMMU failed");
        }
        ops = dma.dmaIommu(dev);
        name = policy + ", " + layout.name().toLowerCase(Locale.ROOT) + " layout";
    }

    /**
     * The physical address of the {@code n}-th buffer page of CPU {@code cpuId}, cycling over 512
     * pages of its own. Never page 0: {@code iommu_iova_to_phys} cannot tell a mapping of
     * physical 0 from no mapping, so dma-iommu's {@code unmap_page} would warn and leave the IOVA
     * allocated (the kernel never maps page 0 for DMA either). Before this was known, one pair in
     * 512 leaked its IOVA and the allocator's tree grew through every benchmark run.
     */
    static long bufferPage(int cpuId, long n) {
        return ((long) cpuId << 20 | (n & 511)) * PAGE_SIZE + PAGE_SIZE;
    }

    /**
     * One page mapped and unmapped on CPU {@code cpuId}, then an interrupt point, where the flush
     * queue's timer runs if it expired on this CPU; returns the handle so JMH consumes it.
     */
    long mapUnmapPage(int cpuId, long phys) {
        var cpu = engine.cpu(cpuId);
        long handle = ops.mapPage(cpu, dev, phys, PAGE_SIZE, DmaDirection.BIDIRECTIONAL, 0);
        ops.unmapPage(cpu, dev, handle, PAGE_SIZE, DmaDirection.BIDIRECTIONAL, 0);
        cpu.runSoftirqs();
        return handle;
    }

    /**
     * Says on standard error how many flush-queue overflows the run had (a flush stalled between
     * its start and finish counts, by a CPU thread descheduled in the middle of one, lets full
     * queues drop their entries: IOVAs never freed, an allocator that grows for the rest of the
     * run).
     *
     * @throws IllegalStateException when an unmap missed its mapping: the figures would include a leak
     */
    @Override
    public void close() {
        engine.close();
        var counters = ops.counters();
        if (counters.fqOverflows() > 0) {
            System.err.println(name + ": " + counters.fqOverflows() + " flush-queue overflows dropped "
                    + counters.entriesLost() + " queued IOVAs in this run (docs/performance.md, \"Overflows\")");
        }
        long mismatches = counters.unmapMismatches();
        if (mismatches > 0) {
            throw new IllegalStateException(mismatches + " unmaps found no mapping: the benchmark leaked IOVAs");
        }
    }
}
