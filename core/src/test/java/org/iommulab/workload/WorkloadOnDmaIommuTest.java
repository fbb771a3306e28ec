package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.DmaIommuSnapshot;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCore;
import org.iommulab.kernel.Device;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The workloads on the real dma-iommu layer over the ideal IOMMU, strict and lazy: what they map
 * is what the layer counts, everything they unmap reaches it, and after a stop everything in
 * flight finishes.
 */
class WorkloadOnDmaIommuTest {

    private static final long DURATION_NS = 2_000_000;

    private static Device probe(VirtualEngine engine, boolean strict, String name) {
        IommuBootParams params = IommuBootParams.defaults().withStrict(strict);
        DmaIommuLayer dma = new DmaIommuLayer(engine, params);
        IommuCore core = new IommuCore(params, new IdealIommu(IdealIommu.Config.defaults()), dma);
        Device dev = new Device(name);
        dev.setDmaMaskBits(64);
        assertThat(core.probeDevice(dev)).isZero();
        return dev;
    }

    /**
     * Runs to the end of the runtime, stops the workloads and lets what is in flight finish; the
     * accounting's count of I/Os in flight agrees with the workload's own count before and after.
     */
    private static void runAndDrain(VirtualEngine engine, Workload... workloads) {
        engine.runUntil(DURATION_NS);
        for (Workload w : workloads) {
            assertThat(w.inFlight()).as(w.name()).isEqualTo(w.result().inFlight());
            w.stop();
        }
        engine.runUntil(2 * DURATION_NS);
        for (Workload w : workloads) {
            assertThat(w.result().inFlight()).as(w.name()).isZero();
            assertThat(w.inFlight()).as(w.name()).isZero();
        }
    }

    private static DmaIommuSnapshot counters(Device dev) {
        return ((IommuDmaOps) dev.dmaOps()).counters();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fioMapsAndUnmapsEveryRequestThroughTheLayer(boolean strict) {
        VirtualEngine engine = new VirtualEngine(4, CostModel.defaults());
        Device dev = probe(engine, strict, "nvme0");
        Fio fio = new Fio(FioOptions.defaults().withBs(16384).withRwmixread(50));
        fio.start(engine, dev);
        runAndDrain(engine, fio);

        IoResult r = fio.result();
        DmaIommuSnapshot c = counters(dev);
        assertThat(r.failed()).isZero();
        assertThat(c.mapSgs()).isEqualTo(r.submitted());
        assertThat(c.unmapSgs()).isEqualTo(r.completed());
        assertThat(c.strictSyncs()).isEqualTo(strict ? r.completed() : 0);
        assertThat(c.entriesQueued()).isEqualTo(strict ? 0 : r.completed());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void netperfAndMapbenchGoThroughTheLayer(boolean strict) {
        VirtualEngine engine = new VirtualEngine(2, CostModel.defaults());
        Device nic = probe(engine, strict, "eth0");
        Device bench = probe(engine, strict, "bench0");
        Netperf netperf = new Netperf(NetperfOptions.defaults().withRxRingSize(128));
        MapBench mapbench = new MapBench(MapBenchOptions.defaults().withThreads(2).withDmaBits(48));
        netperf.start(engine, nic);
        mapbench.start(engine, bench);
        runAndDrain(engine, netperf, mapbench);

        IoResult rx = netperf.rxResult();
        IoResult tx = netperf.txResult();
        DmaIommuSnapshot n = counters(nic);
        assertThat(n.maps()).isEqualTo(rx.submitted());
        assertThat(n.unmaps()).isEqualTo(rx.completed());
        assertThat(n.mapSgs()).isEqualTo(tx.submitted());
        assertThat(n.unmapSgs()).isEqualTo(tx.completed());
        assertThat(rx.completed()).isPositive();
        assertThat(tx.completed()).isPositive();

        IoResult b = mapbench.result();
        DmaIommuSnapshot m = counters(bench);
        assertThat(m.maps()).isEqualTo(b.submitted());
        assertThat(m.unmaps()).isEqualTo(b.completed()).isEqualTo(mapbench.stats().loops()).isPositive();
        assertThat(m.mapErrors()).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sendsMappedPerFragmentMapEachPage(boolean strict) {
        VirtualEngine engine = new VirtualEngine(2, CostModel.defaults());
        Device nic = probe(engine, strict, "eth0");
        Netperf netperf = new Netperf(NetperfOptions.defaults().withTraffic(NetperfOptions.Traffic.TX)
                .withTxMapping(NetperfOptions.TxMapping.MAP_PAGE_PER_FRAGMENT));
        netperf.start(engine, nic);
        runAndDrain(engine, netperf);

        IoResult tx = netperf.txResult();
        DmaIommuSnapshot n = counters(nic);
        assertThat(tx.completed()).isPositive().isEqualTo(tx.submitted());
        assertThat(n.maps()).isEqualTo(16 * tx.submitted());
        assertThat(n.unmaps()).isEqualTo(16 * tx.completed());
        assertThat(n.mapSgs()).isZero();
    }
}
