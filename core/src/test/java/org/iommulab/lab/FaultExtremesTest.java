package org.iommulab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iommulab.fault.Faults;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.stats.RunStats;
import org.iommulab.workload.FioOptions;
import org.iommulab.workload.MapBenchOptions;
import org.iommulab.workload.NetperfOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault the platform, mode and workload have, all at once at the extremes the option accepts
 * (every RPCIT refused, no table allocation succeeding, one host DMA entry, two pages of IOVA space)
 * and at a middling rate: the run ends, every I/O is accounted for, and DMA-API debugging finds
 * nothing. No value {@code --fault} accepts may crash a run.
 */
class FaultExtremesTest {

    private static final Faults EXTREME = Faults.parse("rpcit-busy=0.9,rpcit-oor=1,rpcit-error=1,hv-dma-limit=1,"
            + "iova-space=8KiB,table-alloc=1,device-error=1,virtio-error=1,inv-timeout=0.9");
    private static final Faults MIDDLING = Faults.parse("rpcit-busy=0.3,rpcit-oor=0.3,rpcit-error=0.3,hv-dma-limit=64,"
            + "iova-space=64KiB,table-alloc=0.3,device-error=0.3,virtio-error=0.3,inv-timeout=0.3");

    static Stream<Arguments> machines() {
        List<Arguments> out = new ArrayList<>();
        List<WorkloadSpec> workloads = List.of(new WorkloadSpec.FioSpec(FioOptions.defaults()),
                new WorkloadSpec.NetperfSpec(NetperfOptions.defaults()),
                new WorkloadSpec.MapBenchSpec(MapBenchOptions.defaults()));
        for (PlatformKind p : PlatformKind.values()) {
            for (InvalidationPolicy dma : List.of(Policies.STRICT, Policies.LAZY_SINGLE, Policies.LEGACY)) {
                for (WorkloadSpec w : workloads) {
                    if (dma.runsOn(p)) {
                        for (Faults f : List.of(EXTREME, MIDDLING)) {
                            out.add(Arguments.of(p, dma, w, f));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("machines")
    void theRunEndsWithEveryIoAccountedFor(PlatformKind p, InvalidationPolicy dma, WorkloadSpec workload, Faults wanted) {
        Scenario base = new Scenario(p, p == PlatformKind.KVM ? "qemu-7.1" : null, 1, dma, 0, 0, workload, 2, 5, 3,
                Map.of());
        Scenario s = base.withFaults(base.applicableFaults(wanted));
        RunStats r = Simulation.run(s);
        assertThat(r.io().balanced()).isTrue();
        assertThat(r.faults().dmaDebugErrors()).as("%s", r.warnings()).isZero();
        assertThat(r.faults().leakedMappings()).isZero();
    }
}
