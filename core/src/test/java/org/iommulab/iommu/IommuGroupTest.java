package org.iommulab.iommu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.dma.DmaDirect;
import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.kernel.Device;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class IommuGroupTest {

    private final ManualEngine engine = new ManualEngine(2);

    private record Machine(IommuCore core, DmaIommuLayer dma) {
        IommuGroup probe(Device dev) {
            assertThat(core.probeDevice(dev)).isZero();
            return core.group(dev);
        }
    }

    private Machine machine(IommuBootParams params, IdealIommu.Config config) {
        DmaIommuLayer dma = new DmaIommuLayer(engine, params);
        return new Machine(new IommuCore(params, new IdealIommu(config), dma), dma);
    }

    private Machine machine(IommuBootParams params) {
        return machine(params, IdealIommu.Config.defaults());
    }

    @Test
    void defaultTypeFollowsBootParameters() {
        assertThat(machine(IommuBootParams.defaults()).probe(new Device("a")).type()).isEqualTo("DMA-FQ");
        assertThat(machine(IommuBootParams.defaults().withStrict(true)).probe(new Device("b")).type()).isEqualTo("DMA");
        Device c = new Device("c");
        assertThat(machine(IommuBootParams.defaults().withPassthrough(true)).probe(c).type()).isEqualTo("identity");
        assertThat(c.dmaOps()).isInstanceOf(DmaDirect.class);
    }

    @Test
    void passthroughWithoutIdentitySupportFallsBackToDma() {
        Machine m = machine(IommuBootParams.defaults().withPassthrough(true),
                IdealIommu.Config.defaults().withIdentity(false));
        Device dev = new Device("a");
        assertThat(m.probe(dev).type()).isEqualTo("DMA");
        assertThat(dev.dmaOps()).isInstanceOf(IommuDmaOps.class);
    }

    @Test
    void untrustedDevicesAndDevicesWithoutDeferredFlushAreStrict() {
        assertThat(machine(IommuBootParams.defaults()).probe(new Device("ext", true)).type()).isEqualTo("DMA");
        Machine noCap = machine(IommuBootParams.defaults(), IdealIommu.Config.defaults().withDeferredFlush(false));
        Device ism = new Device("ism");
        assertThat(noCap.probe(ism).type()).isEqualTo("DMA");
        assertThat(noCap.dma().dmaIommu(ism).options()).isEqualTo(DmaIommuOptions.perCpuDefaults());
    }

    @Test
    void driverDefDomainTypeWins() {
        Machine m = machine(IommuBootParams.defaults(), IdealIommu.Config.defaults().withDefDomainType(DomainType.DMA));
        IommuGroup g = m.probe(new Device("a"));
        assertThat(g.type()).isEqualTo("DMA");
        assertThatThrownBy(() -> g.storeType("identity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have type DMA");
    }

    @Test
    void dmaToDmaFqIsAllowedWithADriverBoundAndKeepsTheDomain() {
        Machine m = machine(IommuBootParams.defaults().withStrict(true));
        Device dev = new Device("nvme0");
        IommuGroup g = m.probe(dev);
        g.bindDriver();
        IommuDomain before = g.defaultDomain();
        IommuDmaOps ops = m.dma().dmaIommu(dev);

        g.storeType("DMA-FQ");

        assertThat(g.type()).isEqualTo("DMA-FQ");
        assertThat(g.defaultDomain()).isSameAs(before);
        assertThat(dev.dmaOps()).isSameAs(ops);
    }

    @Test
    void otherChangesNeedTheDriverUnbound() {
        Machine m = machine(IommuBootParams.defaults());
        Device dev = new Device("nvme0");
        IommuGroup g = m.probe(dev);
        g.bindDriver();
        assertThatThrownBy(() -> g.storeType("DMA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("while a driver is bound")
                .hasMessageContaining("DMA-FQ -> DMA");
        assertThat(g.type()).isEqualTo("DMA-FQ");

        g.unbindDriver();
        IommuDomain before = g.defaultDomain();
        g.storeType("DMA");
        assertThat(g.type()).isEqualTo("DMA");
        assertThat(g.defaultDomain()).isNotSameAs(before);
        assertThat(dev.dmaOps()).isSameAs(m.dma().dmaIommu(dev));

        g.storeType("identity");
        assertThat(g.type()).isEqualTo("identity");
        assertThat(dev.dmaOps()).isInstanceOf(DmaDirect.class);
        assertThat(m.dma().dmaIommu(dev)).isNull();

        g.storeType("auto");
        assertThat(g.type()).isEqualTo("DMA-FQ");
    }

    @Test
    void unknownTypesAndIdentityForUntrustedDevicesAreRefused() {
        Machine m = machine(IommuBootParams.defaults());
        IommuGroup g = m.probe(new Device("a"));
        assertThatThrownBy(() -> g.storeType("lazy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("iommu group type 'lazy' (EINVAL); allowed: DMA, DMA-FQ, identity, auto");
        IommuGroup ext = m.probe(new Device("ext", true));
        assertThatThrownBy(() -> ext.storeType("identity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have type DMA");
        assertThat(ext.type()).isEqualTo("DMA");
    }

    @Test
    void aSecondProbeOfTheSameDeviceFails() {
        Machine m = machine(IommuBootParams.defaults());
        Device dev = new Device("a");
        m.probe(dev);
        assertThat(m.core().probeDevice(dev)).isNegative();
    }
}
