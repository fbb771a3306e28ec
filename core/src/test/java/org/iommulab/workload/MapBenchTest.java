package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MapBenchTest {

    /** The defaults without the seed's jitter, so that the figures below are exact. */
    private static final CostModel COSTS = CostModel.defaults().with(java.util.Map.of("mapbench.loopJitterNs", 0L));
    /** Loop work, one map call and one unmap call of the fake DMA layer. */
    private static final long LOOP_NS = COSTS.ns(Cost.MAPBENCH_LOOP) + COSTS.ns(Cost.DMA_MAP_CALL)
            + COSTS.ns(Cost.DMA_UNMAP_CALL);

    private static Device device(FakeDmaOps ops) {
        return WorkloadFixtures.device("bench0", ops);
    }

    @Test
    void oneThreadLoopsBackToBack() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        MapBench bench = new MapBench(MapBenchOptions.defaults());
        bench.start(engine, device(new FakeDmaOps(1)));
        engine.runUntil(1_000_000);

        MapBenchResult stats = bench.stats();
        IoResult r = bench.result();
        assertThat(stats.loops()).isEqualTo(1_000_000 / LOOP_NS);
        assertThat(r.completed()).isEqualTo(stats.loops());
        assertThat(r.submitted()).isEqualTo(r.completed());
        assertThat(r.bytes()).isEqualTo(r.completed() * 4096);
        assertThat(stats.avgMap100ns()).isEqualTo(COSTS.ns(Cost.DMA_MAP_CALL) / 100);
        assertThat(stats.avgUnmap100ns()).isEqualTo(COSTS.ns(Cost.DMA_UNMAP_CALL) / 100);
        assertThat(stats.mapStddev100ns()).isZero();
        assertThat(stats.mapNs().getMaxValue()).isEqualTo(COSTS.ns(Cost.DMA_MAP_CALL));
    }

    @Test
    void theDelayStandsInForTheTransfer() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        MapBench bench = new MapBench(MapBenchOptions.defaults().withThreads(2).withDelayNs(10_000));
        bench.start(engine, device(new FakeDmaOps(2)));
        engine.runUntil(1_000_000);

        long perThread = 1_000_000 / (LOOP_NS + 10_000);
        assertThat(bench.stats().loops()).isBetween(2 * perThread, 2 * perThread + 2);
        assertThat(bench.result().inFlight()).isEqualTo(2);
        assertThat(bench.result().latencyNs().getMinValue()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void moreThreadsThanCpusShareThem() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        FakeDmaOps ops = new FakeDmaOps(2);
        MapBench bench = new MapBench(MapBenchOptions.defaults().withThreads(6).withGranule(4)
                .withDir(DmaDirection.FROM_DEVICE));
        bench.start(engine, device(ops));
        engine.runUntil(1_000_000);

        // each CPU does a loop per LOOP_NS; at the end up to three threads per CPU are inside one
        assertThat(bench.stats().loops()).isBetween(2 * (1_000_000 / LOOP_NS) - 6, 2 * (1_000_000 / LOOP_NS));
        assertThat(ops.maps(DmaDirection.FROM_DEVICE)).isEqualTo(bench.result().submitted());
        assertThat(bench.result().bytes()).isEqualTo(bench.stats().loops() * 4 * 4096);
    }

    @Test
    void theStandardDeviationIsTheKernelsIntegerOne() {
        MapBenchStats s = new MapBenchStats();
        s.record(100, 0);
        s.record(300, 0);
        s.record(899, 0);
        // 1, 3 and 8 units of 100 ns: mean 12/3 = 4, E[x^2] = 74/3 = 24, variance 24 - 16 = 8, sqrt 2
        MapBenchResult r = s.result();
        assertThat(r.avgMap100ns()).isEqualTo(4);
        assertThat(r.mapStddev100ns()).isEqualTo(2);
        assertThat(r.loops()).isEqualTo(3);
    }

    @Test
    void aMappingErrorEndsTheThread() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        FakeDmaOps ops = new FakeDmaOps(2, 1.0, 7);
        MapBench bench = new MapBench(MapBenchOptions.defaults().withThreads(3));
        bench.start(engine, device(ops));
        engine.runUntil(1_000_000);

        IoResult r = bench.result();
        assertThat(r.submitted()).isEqualTo(3);
        assertThat(r.failed()).isEqualTo(3);
        assertThat(r.mapErrors()).isEqualTo(3);
        assertThat(r.inFlight()).isZero();
        assertThat(engine.idle()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("org.iommulab.workload.WorkloadFixtures#seeds")
    void theSeedPlacesTheBuffers(long seed) {
        WorkloadFixtures.assertDeterministic(seed, MapBenchTest::run);
    }

    private static long[] run(long seed) {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        FakeDmaOps ops = new FakeDmaOps(2);
        MapBench bench = new MapBench(MapBenchOptions.defaults().withThreads(3).withGranule(2).withSeed(seed));
        bench.start(engine, device(ops));
        engine.runUntil(20_000);
        return new long[] {ops.trace(), bench.stats().loops(), engine.busyNs()};
    }

    @Test
    void theDeviceGetsTheDmaMask() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        Device dev = device(new FakeDmaOps(1));
        new MapBench(MapBenchOptions.defaults().withDmaBits(40)).start(engine, dev);
        assertThat(dev.dmaMask()).isEqualTo((1L << 40) - 1);
    }

    @Test
    void theReportHasTheToolsThreeLines() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        MapBenchOptions options = MapBenchOptions.defaults().withDir(DmaDirection.TO_DEVICE);
        MapBench bench = new MapBench(options);
        bench.start(engine, device(new FakeDmaOps(1)));
        engine.runUntil(250_000_000);

        assertThat(bench.stats().report(options, 250_000_000)).isEqualTo(String.format(
                "dma mapping benchmark: threads:1 seconds:0.25 node:-1 dir:TO_DEVICE granule: 1%n"
                        + "average map latency(us):0.1 standard deviation:0.0%n"
                        + "average unmap latency(us):0.1 standard deviation:0.0%n"));
    }

    @Test
    void aLoopWithoutAnyTimeIsRefused() {
        VirtualEngine engine = new VirtualEngine(1, COSTS.with(Map.of(Cost.MAPBENCH_LOOP.key(), 0L)));
        MapBench bench = new MapBench(MapBenchOptions.defaults());
        assertThatThrownBy(() -> bench.start(engine, device(new FakeDmaOps(1))))
                .hasMessage("mapbench with delayNs 0 needs mapbench.loopNs > 0, or its loop takes no virtual time");
        FakeDmaOps ops = new FakeDmaOps(1);
        assertThatThrownBy(() -> new MapBench(MapBenchOptions.defaults()).start(engine, device(ops), device(ops)))
                .hasMessage("mapbench drives exactly one device; got 2");
    }

    @Test
    void badOptionsNameTheValueAndTheRange() {
        MapBenchOptions d = MapBenchOptions.defaults();
        assertThatThrownBy(() -> d.withThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mapbench threads 0 is out of range; allowed 1..1024");
        assertThatThrownBy(() -> d.withThreads(1025)).hasMessage("mapbench threads 1025 is out of range; allowed 1..1024");
        assertThatThrownBy(() -> d.withGranule(0)).hasMessage("mapbench granule 0 is out of range; allowed 1..1024");
        assertThatThrownBy(() -> d.withDir(DmaDirection.NONE))
                .hasMessage("mapbench dir NONE is not allowed; allowed BIDIRECTIONAL, TO_DEVICE, FROM_DEVICE");
        assertThatThrownBy(() -> d.withDelayNs(10_000_001))
                .hasMessage("mapbench delayNs 10000001 is out of range; allowed 0..10000000");
        assertThatThrownBy(() -> d.withDmaBits(19)).hasMessage("mapbench dmaBits 19 is out of range; allowed 20..64");
    }
}
