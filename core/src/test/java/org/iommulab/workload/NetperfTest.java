package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.iommulab.workload.NetperfOptions.Traffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NetperfTest {

    private static final CostModel COSTS = CostModel.defaults();
    /** A 1500-byte packet and 38 bytes of framing at 25 Gb/s, rounded up to whole ns. */
    private static final long FRAME_NS = (1538 * 8 + 24) / 25;

    private static Device nic(FakeDmaOps ops) {
        return WorkloadFixtures.device("eth0", ops);
    }

    @Test
    void receiveRunsAtLineRateWhenTheCpusKeepUp() {
        long durationNs = 4_000_000;
        VirtualEngine engine = new VirtualEngine(4, COSTS);
        FakeDmaOps ops = new FakeDmaOps(4);
        Netperf netperf = new Netperf(NetperfOptions.defaults().withTraffic(Traffic.RX).withRxRingSize(256));
        netperf.start(engine, nic(ops));
        engine.runUntil(durationNs);

        IoResult rx = netperf.rxResult();
        long lineRateFrames = durationNs / FRAME_NS;
        // frames start once each ring is full: 256 maps of 150 ns
        assertThat(rx.completed() + netperf.rxDropped()).isLessThanOrEqualTo(lineRateFrames)
                .isGreaterThan(lineRateFrames * 9 / 10);
        assertThat(netperf.rxDropped()).isZero();
        assertThat(rx.inFlight()).isBetween(4L * (256 - RxQueue.NAPI_POLL_WEIGHT), 4L * 256);
        assertThat(rx.bytes()).isEqualTo(rx.completed() * 1500);
        assertThat(ops.maps(DmaDirection.FROM_DEVICE)).isEqualTo(rx.submitted());
        assertThat(netperf.txResult().submitted()).isZero();
    }

    @Test
    void aSlowCpuDropsFramesForWantOfBuffers() {
        // 1 CPU at 20 us per frame cannot keep up with a frame every ~0.5 us
        CostModel slow = COSTS.with(java.util.Map.of(Cost.NET_PACKET.key(), 20_000L));
        VirtualEngine engine = new VirtualEngine(1, slow);
        Netperf netperf = new Netperf(NetperfOptions.defaults().withTraffic(Traffic.RX).withRxRingSize(64));
        netperf.start(engine, nic(new FakeDmaOps(1)));
        engine.runUntil(4_000_000);

        IoResult rx = netperf.rxResult();
        assertThat(netperf.rxDropped()).isGreaterThan(rx.completed());
        assertThat(rx.completed()).isBetween(4_000_000L / 20_250 - 5, 4_000_000L / 20_250 + 1);
    }

    @Test
    void transmitNeverExceedsTheLineRate() {
        long durationNs = 4_000_000;
        VirtualEngine engine = new VirtualEngine(4, COSTS);
        FakeDmaOps ops = new FakeDmaOps(4);
        Netperf netperf = new Netperf(NetperfOptions.defaults().withTraffic(Traffic.TX));
        netperf.start(engine, nic(ops));
        engine.runUntil(durationNs);

        IoResult tx = netperf.txResult();
        long bytes = 16 * 4096;
        long frames = (bytes + 1499) / 1500;
        long sendNs = ((bytes + frames * NicModel.ETH_WIRE_OVERHEAD) * 8 + 24) / 25;
        assertThat(tx.completed()).isLessThanOrEqualTo(durationNs / sendNs).isGreaterThan(durationNs / sendNs * 9 / 10);
        assertThat(tx.bytes()).isEqualTo(tx.completed() * bytes);
        assertThat(ops.maxOutstanding(0)).isEqualTo(32);
        assertThat(ops.maps(DmaDirection.TO_DEVICE)).isEqualTo(tx.submitted());
    }

    @ParameterizedTest
    @MethodSource("org.iommulab.workload.WorkloadFixtures#seeds")
    void everyBufferAndSendIsAccountedForUnderMappingFailures(long seed) {
        VirtualEngine engine = new VirtualEngine(3, COSTS);
        FakeDmaOps ops = new FakeDmaOps(3, 0.3, seed);
        Netperf netperf = new Netperf(NetperfOptions.defaults().withSeed(seed).withRxRingSize(128).withTxDepth(8)
                .withRetry(new MapRetry(2, 2_000)));
        netperf.start(engine, nic(ops));
        engine.runUntil(3_000_000);

        IoResult rx = netperf.rxResult();
        IoResult tx = netperf.txResult();
        for (IoResult r : new IoResult[] {rx, tx}) {
            assertThat(r.submitted()).isEqualTo(r.completed() + r.failed() + r.inFlight());
            assertThat(r.failed()).isPositive();
            assertThat(r.completed()).isPositive();
        }
        assertThat(rx.mapErrors()).isEqualTo(rx.failed());
        assertThat(tx.mapErrors()).isGreaterThanOrEqualTo(2 * tx.failed());
        assertThat(rx.mapErrors() + tx.mapErrors()).isEqualTo(ops.failedCalls());
        IoResult both = netperf.result();
        assertThat(both.submitted()).isEqualTo(rx.submitted() + tx.submitted());
        assertThat(both.latencyNs().getTotalCount()).isEqualTo(rx.completed() + tx.completed());
        assertThat((long) ops.liveMappings()).isLessThanOrEqualTo(rx.inFlight() + tx.inFlight() * 16);

        netperf.stop();
        engine.runUntil(6_000_000);
        IoResult drained = netperf.result();
        assertThat(drained.inFlight()).isZero();
        assertThat(drained.submitted()).isEqualTo(drained.completed() + drained.failed());
        assertThat(ops.liveMappings()).isZero();
    }

    @ParameterizedTest
    @MethodSource("org.iommulab.workload.WorkloadFixtures#seeds")
    void perFragmentMappingUnmapsWhatItMappedWhenAFragmentFails(long seed) {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        FakeDmaOps ops = new FakeDmaOps(2, 0.02, seed);
        Netperf netperf = new Netperf(NetperfOptions.defaults().withTraffic(Traffic.TX).withTxDepth(4)
                .withTxMapping(NetperfOptions.TxMapping.MAP_PAGE_PER_FRAGMENT).withSeed(seed));
        netperf.start(engine, nic(ops));
        engine.runUntil(2_000_000);

        IoResult tx = netperf.txResult();
        // 16 fragments, each its own map call: about 28% of sends meet a failing call
        assertThat(tx.failed()).isPositive();
        assertThat(tx.completed()).isPositive();
        assertThat(tx.mapErrors()).isEqualTo(ops.failedCalls());
        assertThat(ops.maps(DmaDirection.TO_DEVICE)).isGreaterThanOrEqualTo(16 * tx.completed());
        assertThat((long) ops.liveMappings()).isLessThanOrEqualTo(16 * tx.inFlight());

        netperf.stop();
        engine.runUntil(4_000_000);
        assertThat(netperf.txResult().inFlight()).isZero();
        assertThat(ops.liveMappings()).isZero();
    }

    @ParameterizedTest
    @MethodSource("org.iommulab.workload.WorkloadFixtures#seeds")
    void theSameSeedGivesTheSameRun(long seed) {
        WorkloadFixtures.assertDeterministic(seed, NetperfTest::run);
    }

    private static long[] run(long seed) {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        FakeDmaOps ops = new FakeDmaOps(2, 0.05, seed);
        Netperf netperf = new Netperf(NetperfOptions.defaults().withSeed(seed).withQueues(3).withRxRingSize(64));
        netperf.start(engine, nic(ops), nic(ops));
        engine.runUntil(500_000);
        IoResult r = netperf.result();
        return new long[] {ops.trace(), r.submitted(), r.completed(), r.failed(), r.bytes(), netperf.rxDropped(),
            r.latencyNs().getValueAtPercentile(99), engine.busyNs()};
    }

    @Test
    void badOptionsNameTheValueAndTheRange() {
        NetperfOptions d = NetperfOptions.defaults();
        assertThatThrownBy(() -> d.withRxRingSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("netperf rxRingSize 0 is out of range; allowed 1..65536");
        assertThatThrownBy(() -> d.withTxDepth(5000)).hasMessage("netperf txDepth 5000 is out of range; allowed 1..4096");
        assertThatThrownBy(() -> d.withQueues(-2)).hasMessage("netperf queues -2 is out of range; allowed 0..4096");
        assertThatThrownBy(() -> d.withTraffic(null)).hasMessage("netperf traffic is missing; allowed TX, RX, BOTH");
        assertThatThrownBy(() -> d.withMtu(9000)).hasMessage("netperf mtu 9000 is out of range; allowed 68..4082");
        assertThatThrownBy(() -> d.withTxFragments(18)).hasMessage("netperf txFragments 18 is out of range; allowed 1..17");
        assertThatThrownBy(() -> d.withTxMapping(null))
                .hasMessage("netperf txMapping is missing; allowed MAP_SG, MAP_PAGE_PER_FRAGMENT");
    }
}
