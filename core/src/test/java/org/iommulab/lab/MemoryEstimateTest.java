package org.iommulab.lab;

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

    @Test
    void theDefaultRunFitsASmallHeap() {
        Scenario s = Scenario.defaults(PlatformKind.KVM, Policies.AUTO);
        assertThat(MemoryEstimate.bytes(s)).isLessThan(256L << 20);
        assertThatCode(() -> MemoryEstimate.check(s, 512L << 20)).doesNotThrowAnyException();
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
}
