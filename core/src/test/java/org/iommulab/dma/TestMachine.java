package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iommulab.ideal.IdealDomain;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuCore;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Engine;

/** An ideal IOMMU, the core and dma-iommu on one engine, for tests. */
final class TestMachine {

    final Engine engine;
    final IdealIommu ideal;
    final DmaIommuLayer dma;
    final IommuCore core;

    TestMachine(Engine engine, IommuBootParams params, IdealIommu.Config config, DmaIommuOptions userOptions) {
        this(engine, params, new IdealIommu(config), userOptions, null, DeferredFlush.kernelQueues());
    }

    /** With {@code tuned} as what the driver's {@code tune_dma_iommu} returns (null: no change). */
    TestMachine(Engine engine, IommuBootParams params, IdealIommu ideal, DmaIommuOptions userOptions,
            DmaIommuOptions tuned) {
        this(engine, params, ideal, userOptions, tuned, DeferredFlush.kernelQueues());
    }

    /** With {@code queues} building the DMA-FQ domains' queues. */
    TestMachine(Engine engine, IommuBootParams params, IdealIommu ideal, DmaIommuOptions userOptions,
            DmaIommuOptions tuned, DeferredFlush.Factory queues) {
        this.engine = engine;
        this.ideal = ideal;
        this.dma = new DmaIommuLayer(engine, params, userOptions, queues);
        this.core = new IommuCore(params, tuned == null ? ideal : tuning(ideal, tuned), dma);
    }

    /** Probes a 64-bit device and returns its dma-iommu ops. */
    IommuDmaOps probe(Device dev) {
        dev.setDmaMaskBits(64);
        assertThat(core.probeDevice(dev)).isZero();
        return dma.dmaIommu(dev);
    }

    /** The page table of the most recent domain. */
    IdealDomain lastDomain() {
        List<IdealDomain> all = ideal.domains();
        return all.get(all.size() - 1);
    }

    private static IommuDriver tuning(IdealIommu ideal, DmaIommuOptions tuned) {
        return new IommuDriver() {
            @Override
            public String name() {
                return "tuning";
            }

            @Override
            public boolean capable(Device dev, IommuCap cap) {
                return ideal.capable(dev, cap);
            }

            @Override
            public int probeDevice(Device dev) {
                return ideal.probeDevice(dev);
            }

            @Override
            public IommuDomainOps domainAllocPaging(Device dev) {
                return ideal.domainAllocPaging(dev);
            }

            @Override
            public List<ReservedRegion> getResvRegions(Device dev) {
                return ideal.getResvRegions(dev);
            }

            @Override
            public DmaIommuOptions tuneDmaIommu(Device dev, DmaIommuOptions options) {
                return tuned;
            }
        };
    }
}
