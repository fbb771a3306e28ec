package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.iommulab.workload.WorkloadFixtures.device;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FioTest {

    /** The defaults without the seed's jitter, so that the figures below are exact. */
    private static final CostModel COSTS = CostModel.defaults().with(java.util.Map.of("nvme.latencyJitterNs", 0L));

    @ParameterizedTest
    @MethodSource("org.iommulab.workload.WorkloadFixtures#seeds")
    void everyIoEndsCompletedFailedOrInFlightUnderMappingFailures(long seed) {
        VirtualEngine engine = new VirtualEngine(4, COSTS);
        FakeDmaOps ops = new FakeDmaOps(4, 0.3, seed);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(8).withSeed(seed).withRetry(new MapRetry(2, 5_000)));
        fio.start(engine, device("nvme0", ops));
        engine.runUntil(2_000_000);

        IoResult r = fio.result();
        assertThat(r.submitted()).isEqualTo(r.completed() + r.failed() + r.inFlight());
        assertThat(r.failed()).isPositive();
        assertThat(r.completed()).isPositive();
        assertThat(r.mapErrors()).isEqualTo(ops.failedCalls()).isGreaterThanOrEqualTo(2 * r.failed());
        assertThat(r.inFlight()).isLessThanOrEqualTo(4 * 8);
        // every mapping that was not unmapped belongs to an I/O in flight
        assertThat((long) ops.liveMappings()).isLessThanOrEqualTo(r.inFlight());
        assertThat(r.latencyNs().getTotalCount()).isEqualTo(r.completed());

        fio.stop();
        engine.runUntil(4_000_000);
        IoResult drained = fio.result();
        assertThat(drained.inFlight()).isZero();
        assertThat(drained.submitted()).isEqualTo(r.submitted()).isEqualTo(drained.completed() + drained.failed());
        assertThat(ops.liveMappings()).isZero();
    }

    @Test
    void aRequestThatNeverMapsFailsAfterItsTries() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        FakeDmaOps ops = new FakeDmaOps(1, 1.0, 1);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(1).withRetry(new MapRetry(3, 100_000)));
        fio.start(engine, device("nvme0", ops));
        // each try costs 3.15 us (driver and map call). An I/O is tried on submission, again at once
        // by the queue run that follows, and a third time by the delayed run 100 us later, which
        // fails it: the first fails at 109 us, the second at 219 us; the third waits for its
        // delayed run at 325 us
        engine.runUntil(300_000);

        IoResult r = fio.result();
        assertThat(r.failed()).isEqualTo(2);
        assertThat(r.mapErrors()).isEqualTo(8);
        assertThat(r.submitted()).isEqualTo(3);
        assertThat(r.inFlight()).isEqualTo(1);
        assertThat(r.completed()).isZero();
    }

    @Test
    void aDelayedRunRetriesWhenNothingElseIsInFlight() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        FakeDmaOps ops = new FakeDmaOps(1);
        ops.failCalls(1, 2);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(1).withRetry(new MapRetry(3, 50_000)));
        fio.start(engine, device("nvme0", ops));
        engine.runUntil(200_000);

        IoResult r = fio.result();
        assertThat(r.completed()).isEqualTo(1);
        assertThat(r.failed()).isZero();
        assertThat(r.mapErrors()).isEqualTo(2);
        assertThat(r.latencyNs().getMinValue()).isGreaterThanOrEqualTo(50_000 + COSTS.ns(Cost.NVME_READ_LATENCY));
    }

    @Test
    void aCompletionRerunsTheQueueLongBeforeTheDelay() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        FakeDmaOps ops = new FakeDmaOps(1);
        ops.failCalls(2, 4);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(4));
        fio.start(engine, device("nvme0", ops));
        // the first request is issued; the other three fail and wait on the dispatch list, and
        // the queue run right after fails again and arms the 3 ms delayed run
        engine.runUntil(50_000);
        assertThat(ops.mapCalls()).isEqualTo(5);
        assertThat(fio.result().inFlight()).isEqualTo(4);

        // the first completion (about 86 us) reruns the queue, long before the delayed run: the
        // waiting requests each wait about one device latency for it, then take their own; the
        // first request's next one queues behind them
        engine.runUntil(1_000_000);
        IoResult r = fio.result();
        assertThat(r.failed()).isZero();
        assertThat(r.mapErrors()).isEqualTo(4);
        assertThat(r.latencyNs().getMaxValue()).isBetween(2 * COSTS.ns(Cost.NVME_READ_LATENCY),
                2 * COSTS.ns(Cost.NVME_READ_LATENCY) + 20_000);
    }

    @Test
    void eachCpuKeepsItsIodepthInFlight() {
        VirtualEngine engine = new VirtualEngine(4, COSTS);
        FakeDmaOps ops = new FakeDmaOps(4);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(8));
        fio.start(engine, device("nvme0", ops));
        engine.runUntil(5_000_000);

        for (int cpu = 0; cpu < 4; cpu++) {
            assertThat(ops.maxOutstanding(cpu)).as("cpu %d", cpu).isEqualTo(8);
        }
        assertThat(fio.result().inFlight()).isEqualTo(32);
    }

    @Test
    void twoJobsOnOneCpuEachKeepTheirDepth() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        FakeDmaOps ops = new FakeDmaOps(1);
        Fio fio = new Fio(FioOptions.defaults().withNumjobs(2).withIodepth(3));
        fio.start(engine, device("nvme0", ops));
        engine.runUntil(2_000_000);

        assertThat(ops.maxOutstanding(0)).isEqualTo(6);
    }

    @Test
    void theDriveNeverExceedsItsIopsCeiling() {
        long durationNs = 20_000_000;
        VirtualEngine engine = new VirtualEngine(8, COSTS);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(64));
        fio.start(engine, device("nvme0", new FakeDmaOps(8)));
        engine.runUntil(durationNs);

        long ceiling = durationNs / COSTS.ns(Cost.NVME_COMMAND);
        assertThat(fio.result().completed()).isLessThanOrEqualTo(ceiling).isGreaterThan(ceiling * 9 / 10);
    }

    @Test
    void largeBlocksHitTheBandwidthCeiling() {
        long durationNs = 20_000_000;
        VirtualEngine engine = new VirtualEngine(4, COSTS);
        Fio fio = new Fio(FioOptions.defaults().withBs(128 * 1024).withIodepth(16));
        fio.start(engine, device("nvme0", new FakeDmaOps(4)));
        engine.runUntil(durationNs);

        long maxBytes = durationNs * RandomPages.PAGE_SIZE / COSTS.ns(Cost.NVME_PAGE_TRANSFER);
        assertThat(fio.result().bytes()).isLessThanOrEqualTo(maxBytes).isGreaterThan(maxBytes * 9 / 10);
    }

    @Test
    void twoDrivesGiveTwiceTheCeiling() {
        long durationNs = 10_000_000;
        VirtualEngine engine = new VirtualEngine(8, COSTS);
        FakeDmaOps ops = new FakeDmaOps(8);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(64));
        fio.start(engine, device("nvme0", ops), device("nvme1", ops));
        engine.runUntil(durationNs);

        long oneDrive = durationNs / COSTS.ns(Cost.NVME_COMMAND);
        assertThat(fio.result().completed()).isGreaterThan(oneDrive * 3 / 2).isLessThanOrEqualTo(2 * oneDrive);
    }

    @Test
    void anUnloadedDriveShowsItsLatency() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(1));
        fio.start(engine, device("nvme0", new FakeDmaOps(1)));
        engine.runUntil(10_000_000);

        IoResult r = fio.result();
        long readLatency = COSTS.ns(Cost.NVME_READ_LATENCY);
        assertThat(r.latencyNs().getMinValue()).isGreaterThanOrEqualTo(readLatency);
        assertThat(r.latencyNs().getMaxValue()).isLessThan(readLatency + 10_000);
        // one I/O at a time: each takes the latency plus the driver and DMA calls around it
        assertThat(r.completed()).isEqualTo(10_000_000 / (readLatency + COSTS.ns(Cost.BLOCK_SUBMIT_COMPLETE)
                + COSTS.ns(Cost.DMA_MAP_CALL) + COSTS.ns(Cost.DMA_UNMAP_CALL)));
    }

    @Test
    void theReadMixDecidesDirections() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        FakeDmaOps ops = new FakeDmaOps(2);
        Fio fio = new Fio(FioOptions.defaults().withRwmixread(70));
        fio.start(engine, device("nvme0", ops));
        engine.runUntil(20_000_000);

        long reads = ops.maps(DmaDirection.FROM_DEVICE);
        long writes = ops.maps(DmaDirection.TO_DEVICE);
        assertThat(reads + writes).isGreaterThan(10_000);
        assertThat((double) reads / (reads + writes)).isBetween(0.67, 0.73);
    }

    @ParameterizedTest
    @MethodSource("org.iommulab.workload.WorkloadFixtures#seeds")
    void theSameSeedGivesTheSameRun(long seed) {
        WorkloadFixtures.assertDeterministic(seed, FioTest::run);
    }

    private static long[] run(long seed) {
        VirtualEngine engine = new VirtualEngine(3, COSTS);
        FakeDmaOps ops = new FakeDmaOps(3, 0.05, seed);
        Fio fio = new Fio(FioOptions.defaults().withRwmixread(50).withBs(16384).withSeed(seed)
                .withRetry(new MapRetry(2, 1000)));
        fio.start(engine, device("nvme0", ops));
        engine.runUntil(1_000_000);
        IoResult r = fio.result();
        return new long[] {ops.trace(), r.submitted(), r.completed(), r.failed(), r.bytes(),
            r.latencyNs().getValueAtPercentile(99), engine.busyNs()};
    }

    @Test
    void badOptionsNameTheValueAndTheRange() {
        FioOptions d = FioOptions.defaults();
        assertThatThrownBy(() -> d.withIodepth(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fio iodepth 0 is out of range; allowed 1..65535");
        assertThatThrownBy(() -> d.withNumjobs(-1)).hasMessage("fio numjobs -1 is out of range; allowed 0..4096");
        assertThatThrownBy(() -> d.withBs(1000))
                .hasMessage("fio bs 1000 is not a multiple of 512; allowed multiples of 512 in 512..2097152");
        assertThatThrownBy(() -> d.withBs(256)).hasMessage("fio bs 256 is out of range; allowed 512..2097152");
        assertThatThrownBy(() -> d.withRwmixread(101)).hasMessage("fio rwmixread 101 is out of range; allowed 0..100");
        assertThatThrownBy(() -> new MapRetry(0, 1)).hasMessage("map retry maxTries 0 is out of range; allowed 1..1000000");
        assertThatThrownBy(() -> new MapRetry(1, 0))
                .hasMessage("map retry backoffNs 0 is out of range; allowed 1..10000000000");
    }

    @Test
    void startingNeedsDevicesWithDmaOps() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        Fio fio = new Fio(FioOptions.defaults());
        assertThatThrownBy(() -> fio.start(engine)).hasMessage("fio needs at least one device; got none");
        assertThatThrownBy(() -> fio.start(engine, new Device("nvme9")))
                .hasMessage("fio: device nvme9 has no DMA ops; attach it to a platform first");
    }

    @Test
    void aDriveWithoutAnyTimeIsRefused() {
        CostModel instant = COSTS.with(java.util.Map.of("nvme.readLatencyNs", 0L, "nvme.writeLatencyNs", 0L,
                "nvme.commandNs", 0L, "nvme.pageTransferNs", 0L));
        VirtualEngine engine = new VirtualEngine(1, instant);
        Fio fio = new Fio(FioOptions.defaults());
        assertThatThrownBy(() -> fio.start(engine, device("nvme0", new FakeDmaOps(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leave an I/O taking 0 ns");
    }
}
