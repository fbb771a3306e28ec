package org.iommulab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iommulab.fault.FaultKind;
import org.iommulab.fault.Faults;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.stats.RunStats;
import org.iommulab.workload.FioOptions;
import org.iommulab.workload.NetperfOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault kind on every platform and DMA layer it applies to: the failures are injected, the
 * accounting stays exact (every I/O ends once, failures add up by cause), and DMA-API debugging
 * finds no address handed out twice, no bad unmap and no mapping leaked at the end.
 */
class FaultInjectionTest {

    private static final WorkloadSpec FIO = new WorkloadSpec.FioSpec(FioOptions.defaults());

    /** A rate or limit of each kind that shows within a short run. */
    private static Faults heavy(FaultKind kind) {
        return Faults.NONE.with(kind, switch (kind) {
            case RPCIT_BUSY -> 0.2;
            case RPCIT_OOR, RPCIT_ERROR, TABLE_ALLOC -> 0.3;
            case DEVICE_ERROR, VIRTIO_ERROR -> 0.01;
            case INV_TIMEOUT -> 0.5;
            case HV_DMA_LIMIT -> 16;
            case IOVA_SPACE -> 256 * 1024;
        });
    }

    static Stream<Arguments> everyKindWhereItApplies() {
        List<Arguments> out = new ArrayList<>();
        for (FaultKind kind : FaultKind.values()) {
            for (PlatformKind p : PlatformKind.values()) {
                for (InvalidationPolicy dma : List.of(Policies.LAZY_PERCPU, Policies.STRICT, Policies.LEGACY)) {
                    if (!dma.runsOn(p) || dma == Policies.STRICT && kind != FaultKind.RPCIT_ERROR) {
                        continue;
                    }
                    Scenario s = scenario(p, dma, FIO);
                    if (s.applicableFaults(heavy(kind)).has(kind)) {
                        out.add(Arguments.of(kind, p, dma));
                    }
                }
            }
        }
        return out.stream();
    }

    private static Scenario scenario(PlatformKind p, InvalidationPolicy dma, WorkloadSpec workload) {
        return new Scenario(p, p == PlatformKind.KVM ? "qemu-7.1" : null, 1, dma, 0, 0, workload, 4, 30, 5, Map.of());
    }

    @ParameterizedTest(name = "{0} on {1} {2}")
    @MethodSource("everyKindWhereItApplies")
    void theFaultIsInjectedAndEveryIoIsAccountedForWithNothingLeaked(FaultKind kind, PlatformKind p,
            InvalidationPolicy dma) {
        RunStats r = Simulation.run(scenario(p, dma, FIO).withFaults(heavy(kind)));

        assertThat(r.io().balanced()).as("submitted = completed + failed, failures by cause add up").isTrue();
        assertThat(r.io().completed()).as("the run still does I/O").isPositive();
        assertThat(r.faults().dmaDebug()).isTrue();
        assertThat(r.faults().dmaDebugErrors()).as("DMA-API debug errors; warnings: %s", r.warnings()).isZero();
        assertThat(r.faults().leakedMappings()).as("mappings live at the end").isZero();
        if (kind.random() && !(dma == Policies.LEGACY && p == PlatformKind.LPAR)) {
            // the old scheme in an LPAR issues an RPCIT only when its allocator wraps, rarely in 30 ms
            assertThat(r.faults().injected().get(kind.cliName())).as("failures injected").isPositive();
        }
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("--fault " + heavy(kind) + (kind.random() ? " injected: " : " in effect")));
        long mapErrors = r.io().mapErrors();
        switch (kind) {
            case RPCIT_BUSY, INV_TIMEOUT -> assertThat(r.io().failed() + mapErrors)
                    .as("a busy RPCIT or a timed-out wait is retried until it passes").isZero();
            case IOVA_SPACE -> assertThat(mapErrors).as("a 256 KiB space runs out").isPositive();
            case HV_DMA_LIMIT -> assertThat(r.rpcit().outOfResource()).as("16 host entries run out").isPositive();
            case DEVICE_ERROR -> assertThat(r.io().failedByCause().get("deviceError"))
                    .as("each injected error fails its I/O").isEqualTo(r.faults().injected().get("device-error"));
            case VIRTIO_ERROR -> assertThat(r.io().failedByCause().get("translationFault"))
                    .as("a MAP the host dropped leaves the device faulting").isPositive();
            default -> { }
        }
        if (kind == FaultKind.IOVA_SPACE && dma != Policies.LEGACY) {
            assertThat(r.io().mapErrorsByCause().get("iovaSpaceExhausted")).isEqualTo(mapErrors);
        }
    }

    @Test
    void anRpcitErrorFailsTheMapWhoseRefreshItWasAndTheDriverCountsIt() {
        RunStats r = Simulation.run(scenario(PlatformKind.KVM, Policies.LAZY_PERCPU, FIO)
                .withFaults(Faults.parse("rpcit-error=0.02")));
        assertThat(r.io().mapErrorsByCause().get("iommuMapFailed")).isPositive();
        assertThat(r.io().mapErrors()).isEqualTo(r.io().mapErrorsByCause().get("iommuMapFailed"));
    }

    @Test
    void aTableAllocationFailureFailsTheMapOnX86() {
        RunStats r = Simulation.run(scenario(PlatformKind.X86, Policies.LAZY_PERCPU, FIO)
                .withFaults(Faults.parse("table-alloc=0.5")));
        assertThat(r.faults().injected().get("table-alloc")).isPositive();
        assertThat(r.io().mapErrorsByCause().get("iommuMapFailed")).isEqualTo(r.faults().injected().get("table-alloc"));
    }

    @Test
    void aTimedOutInvalidationWaitIsSubmittedAgainAndCostsItsTimeout() {
        Scenario s = scenario(PlatformKind.X86, Policies.STRICT, FIO);
        RunStats clean = Simulation.run(s);
        RunStats r = Simulation.run(s.withFaults(Faults.parse("inv-timeout=0.01")));
        assertThat(r.metrics().get("vtd.invTimeouts")).isEqualTo(r.faults().injected().get("inv-timeout")).isPositive();
        assertThat(r.throughput().iops()).isLessThan(clean.throughput().iops());
        assertThat(r.io().failed()).isZero();
    }

    @Test
    void deviceErrorsFailReceivedFramesOnANicToo() {
        RunStats r = Simulation.run(scenario(PlatformKind.X86, Policies.LAZY_PERCPU,
                new WorkloadSpec.NetperfSpec(NetperfOptions.defaults())).withFaults(Faults.parse("device-error=0.01")));
        assertThat(r.io().failedByCause().get("deviceError")).isEqualTo(r.faults().injected().get("device-error"))
                .isPositive();
        assertThat(r.io().balanced()).isTrue();
        assertThat(r.faults().leakedMappings()).isZero();
    }

    @Test
    void theSameSeedInjectsAtTheSameCalls() {
        Scenario s = scenario(PlatformKind.KVM, Policies.LAZY_SINGLE, FIO).withFaults(Faults.parse("rpcit-oor=0.1,rpcit-busy=0.1"));
        Map<String, Object> a = Simulation.run(s).toMap();
        Map<String, Object> b = Simulation.run(s).toMap();
        a.remove("wallTimeMs");
        b.remove("wallTimeMs");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aBaselineUnderAnotherPolicyKeepsTheFaultsThatStillApply() {
        Scenario s = scenario(PlatformKind.KVM, Policies.LAZY_PERCPU, FIO)
                .withFaults(Faults.parse("rpcit-busy=0.1,device-error=0.01"));
        assertThat(s.withDma(Policies.byName("direct")).faults()).isEqualTo(Faults.parse("device-error=0.01"));
        assertThat(s.withDma(Policies.LEGACY).faults()).isEqualTo(s.faults());
    }

    @Test
    void aMachineWhereNoMapCanSucceedStillEndsItsRunWithEveryIoFailed() {
        RunStats x86 = Simulation.run(scenario(PlatformKind.X86, Policies.STRICT, FIO).withFaults(Faults.parse("iova-space=4KiB")));
        assertThat(x86.io().completed()).isZero();
        assertThat(x86.io().failedByCause().get("mapError")).isEqualTo(x86.io().submitted()).isPositive();
        assertThat(x86.warnings()).anyMatch(w -> w.contains("bus limit 0xfff, aperture from 0x0"));
        RunStats kvm = Simulation.run(new Scenario(PlatformKind.KVM, "qemu-7.1", 1, Policies.LAZY_SINGLE, 0, 0, FIO, 4, 30, 5,
                Map.of()).withFaults(Faults.parse("hv-dma-limit=1")));
        assertThat(kvm.io().completed()).isZero();
        assertThat(kvm.io().balanced()).isTrue();
        assertThat(kvm.faults().leakedMappings()).isZero();
    }

    @Test
    void aRunWithoutFaultsIsNotWatchedAndInjectsNothing() {
        RunStats r = Simulation.run(scenario(PlatformKind.LPAR, Policies.LAZY_PERCPU, FIO));
        assertThat(r.faults().dmaDebug()).isFalse();
        assertThat(r.faults().injected().values()).containsOnly(0L);
        assertThat(r.config().get("faults")).isEqualTo("none");
    }

    @Test
    void aFaultThePlatformDoesNotHaveIsRefusedSayingWhereItApplies() {
        Scenario kvm = scenario(PlatformKind.KVM, Policies.LAZY_PERCPU, FIO);
        assertThatThrownBy(() -> kvm.withFaults(Faults.parse("virtio-error=0.1")))
                .hasMessage("--fault virtio-error applies to virtio, not to kvm");
        assertThatThrownBy(() -> scenario(PlatformKind.X86, Policies.LAZY_PERCPU, FIO).withFaults(Faults.parse("rpcit-busy=0.1")))
                .hasMessageStartingWith("--fault rpcit-busy applies to the s390 platforms (lpar, zvm, kvm)");
        assertThatThrownBy(() -> scenario(PlatformKind.X86, Policies.LAZY_PERCPU,
                new WorkloadSpec.MapBenchSpec(org.iommulab.workload.MapBenchOptions.defaults()))
                .withFaults(Faults.parse("device-error=0.1")))
                .hasMessage("--fault device-error applies to workloads whose device moves data (fio, netperf), not to mapbench");
        assertThatThrownBy(() -> new Scenario(PlatformKind.KVM, "qemu-8.2-iommufd", 1, Policies.LAZY_PERCPU, 0, 0, FIO, 4,
                30, 5, Map.of()).withFaults(Faults.parse("hv-dma-limit=10")))
                .hasMessageContaining("not qemu-8.2-iommufd");
        assertThatThrownBy(() -> scenario(PlatformKind.X86, Policies.byName("direct"), FIO)
                .withFaults(Faults.parse("iova-space=1MiB")))
                .hasMessage("--fault iova-space applies where a DMA layer hands out bus addresses, not to --dma direct");
        assertThatThrownBy(() -> scenario(PlatformKind.LPAR, Policies.LEGACY, FIO).withFaults(Faults.parse("iova-space=4KiB")))
                .hasMessage("--fault iova-space=4KiB is below what the old scheme's bitmap allocator takes, 2 pages (8KiB)");
    }
}
