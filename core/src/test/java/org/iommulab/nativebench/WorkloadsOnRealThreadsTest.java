package org.iommulab.nativebench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.iommulab.dma.DmaIommuSnapshot;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.WorkloadSpec;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.Policies;
import org.iommulab.workload.FioOptions;
import org.iommulab.workload.IoResult;
import org.iommulab.workload.MapBenchOptions;
import org.iommulab.workload.NetperfOptions;
import org.iommulab.workload.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulator's workloads, unchanged, on real threads: each CPU of the native engine runs the
 * work posted to it, and at the end every I/O is accounted for (the snapshot checks submitted =
 * completed + failed + in flight), none failed, and every DMA mapping the workload ended was
 * unmapped by the same DMA layer the simulator drives.
 */
class WorkloadsOnRealThreadsTest {

    @ParameterizedTest
    @ValueSource(strings = {"fio", "netperf", "mapbench"})
    void runsOnTwoCpusAndAccountsForEveryIo(String name) throws InterruptedException {
        WorkloadSpec spec = switch (name) {
            case "fio" -> new WorkloadSpec.FioSpec(FioOptions.defaults());
            case "netperf" -> new WorkloadSpec.NetperfSpec(NetperfOptions.defaults());
            default -> new WorkloadSpec.MapBenchSpec(MapBenchOptions.defaults().withThreads(2).withDmaBits(64));
        };
        Scenario s = new Scenario(PlatformKind.X86, null, 16, Policies.byName("lazy-percpu"), 0, 0, spec, 2, 100, 1,
                Map.of());
        try (NativeSetup setup = NativeSetup.of(s, false)) {
            Workload workload = spec.create(1);
            workload.start(setup.engine(), setup.machine().devices());
            setup.engine().run(50_000_000L, workload::stop);
            IoResult io = workload.result();
            DmaIommuSnapshot dma = ((IommuDmaOps) setup.ops()).counters();
            assertThat(io.completed()).as(io.toString()).isPositive();
            assertThat(io.failed()).isZero();
            assertThat(dma.unmapMismatches()).isZero();
            long maps = dma.maps() + dma.mapSgs();
            long unmaps = dma.unmaps() + dma.unmapSgs();
            assertThat(maps).isPositive();
            if (io.inFlight() == 0) {
                assertThat(unmaps).isEqualTo(maps);
            } else {
                assertThat(unmaps).isLessThan(maps);
            }
        }
    }
}
