package org.iommulab.nativebench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.WorkloadSpec;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.workload.MapBenchOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native dma_map_benchmark loop's accounting: every timed pair is one map and one unmap of the
 * DMA layer, strict syncs once per unmap and queued entries otherwise, and the flushes counted.
 * Timing is measured, never asserted.
 */
class NativeMapBenchTest {

    @ParameterizedTest
    @ValueSource(strings = {"strict", "lazy-percpu", "lazy-single"})
    void pairsAreTheLayersMapsAndUnmaps(String name) throws InterruptedException {
        InvalidationPolicy mode = Policies.byName(name);
        MapBenchOptions options = MapBenchOptions.defaults().withThreads(2).withGranule(4).withDmaBits(64);
        Scenario s = new Scenario(PlatformKind.X86, null, 16, mode, 0, 0, new WorkloadSpec.MapBenchSpec(options), 2,
                100, 1, Map.of());
        try (NativeSetup setup = NativeSetup.of(s, false)) {
            NativeBenchResult r = NativeMapBench.run(setup, options, 50_000_000L);
            IommuDmaOps ops = (IommuDmaOps) setup.ops();
            assertThat(r.pairs()).isGreaterThanOrEqualTo(2);
            assertThat(r.mapErrors()).isZero();
            assertThat(ops.counters().maps()).isEqualTo(r.pairs());
            assertThat(ops.counters().unmaps()).isEqualTo(r.pairs());
            assertThat(ops.counters().bytesMapped()).isEqualTo(r.pairs() * 4 * 4096);
            assertThat(r.flushes().strictSyncs()).isEqualTo(mode == Policies.STRICT ? r.pairs() : 0);
            assertThat(ops.counters().entriesQueued()).isEqualTo(mode == Policies.STRICT ? 0 : r.pairs());
            // the flush timer may still fire after the result was taken
            assertThat(r.flushes().queueFull() + r.flushes().timer()).isLessThanOrEqualTo(ops.counters().fqFlushes());
            assertThat(r.mapMeanNs()).isPositive();
            assertThat(r.pairsPerSec()).isPositive();
        }
    }
}
