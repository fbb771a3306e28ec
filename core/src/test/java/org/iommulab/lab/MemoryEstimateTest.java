package org.iommulab.lab;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.workload.FioOptions;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryEstimateTest {

    private static final long SIX_GIB = 6L << 30;

    private static Scenario fio(FioOptions o, InvalidationPolicy dma, int fqSize, int cpus) {
        return new Scenario(PlatformKind.X86, null, 16, dma, fqSize, 0, new WorkloadSpec.FioSpec(o), cpus, 10, 1, Map.of());
    }

    /** scripts/memory-check runs these with a 64 MiB heap; the estimate must not refuse them. */
    @Test
    void theDefaultRunsAndA144CpuRunFitA64MibHeap() {
        for (PlatformKind p : List.of(PlatformKind.KVM, PlatformKind.LPAR, PlatformKind.ZVM)) {
            Scenario d = Scenario.defaults(p, Policies.AUTO);
            Scenario wide = new Scenario(d.platform(), d.hvProfile(), d.guestMemoryGiB(), d.dma(), d.fqSize(),
                    d.fqTimeoutMs(), d.workload(), 144, d.durationMs(), d.seed(), d.costOverrides());
            assertThatCode(() -> MemoryEstimate.check(d, 64L << 20)).as("%s", p).doesNotThrowAnyException();
            assertThatCode(() -> MemoryEstimate.check(wide, 64L << 20)).as("%s, 144 CPUs", p).doesNotThrowAnyException();
        }
    }

    @Test
    void millionsOfLargeIosInFlightAreRefusedNamingTheOptions() {
        Scenario s = fio(FioOptions.defaults().withBs(2097152).withIodepth(65535).withNumjobs(4096), Policies.STRICT, 0, 8);
        assertThatThrownBy(() -> MemoryEstimate.check(s, SIX_GIB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TiB of memory").hasMessageContaining("268431360 I/Os in flight")
                .hasMessageContaining("--numjobs 4096 x --iodepth 65535 of --bs 2097152")
                .hasMessageContaining("6.00 GiB");
    }

    @Test
    void hugePerCpuQueuesOnManyCpusAreRefusedNamingTheQueueSize() {
        Scenario s = fio(FioOptions.defaults(), Policies.LAZY_PERCPU, 1 << 20, 1024);
        assertThatThrownBy(() -> MemoryEstimate.check(s, SIX_GIB)).hasMessageContaining("of flush queues (--fq-size x --cpus)");
    }

    @Test
    void theEstimateGrowsWithWhatIsInFlight() {
        long small = MemoryEstimate.bytes(fio(FioOptions.defaults().withIodepth(1), Policies.STRICT, 0, 8));
        long deep = MemoryEstimate.bytes(fio(FioOptions.defaults().withIodepth(1024), Policies.STRICT, 0, 8));
        long large = MemoryEstimate.bytes(fio(FioOptions.defaults().withIodepth(1024).withBs(1 << 20), Policies.STRICT, 0, 8));
        assertThat(small).isLessThan(deep);
        assertThat(deep).isLessThan(large);
    }

    /** A batch runs as many at once as the cores allow and the heap holds: reproduce in 64 MiB on any machine. */
    @Test
    void aBatchRunsNoMoreAtOnceThanTheHeapHolds() {
        List<Scenario> twelve = Collections.nCopies(12, Scenario.defaults(PlatformKind.KVM, Policies.AUTO));
        long each = MemoryEstimate.bytes(twelve.get(0));
        int inSmallHeap = MemoryEstimate.concurrentRuns(twelve, 64, 64L << 20);
        assertThat(inSmallHeap).isBetween(1, 11);
        assertThat(inSmallHeap * each).isLessThanOrEqualTo((long) ((64L << 20) * MemoryEstimate.HEAP_SHARE));
        assertThat(MemoryEstimate.concurrentRuns(twelve, 64, SIX_GIB)).isEqualTo(12);
        assertThat(MemoryEstimate.concurrentRuns(twelve, 2, SIX_GIB)).isEqualTo(2);
        assertThat(MemoryEstimate.concurrentRuns(twelve, 64, 1L << 20)).as("one at a time, judged by check").isEqualTo(1);
    }
}
