package org.iommulab.nativebench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.iommulab.fault.Faults;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.junit.jupiter.api.Test;

/**
 * A brief native stress of every platform and DMA mode: no violation, every map unmapped, and the
 * checks really ran (strict modes check every unmapped page at once).
 */
class StressRunTest {

    private static final List<InvalidationPolicy> MODES = Policies.translating();

    @Test
    void everyPlatformAndModeRunsWithoutViolation() throws InterruptedException {
        List<StressResult> results = StressRun.run(new StressRun.Options(2, 1000, 7,
                Arrays.asList(PlatformKind.values()), MODES));
        long pairs = Arrays.stream(PlatformKind.values())
                .mapToLong(p -> MODES.stream().filter(m -> m.runsOn(p)).count()).sum();
        assertThat(pairs).as("the legacy modes run on s390 only").isLessThan((long) PlatformKind.values().length * MODES.size());
        assertThat(results).hasSize((int) pairs);
        for (StressResult r : results) {
            assertThat(r.violations()).as(r.name() + ": " + r.firstViolations()).isZero();
            assertThat(r.maps() + r.sgMaps()).as(r.name()).isPositive();
            assertThat(r.unmaps()).as(r.name()).isEqualTo(r.maps() + r.sgMaps());
            if (r.name().endsWith(" strict")) {
                assertThat(r.staleChecks()).as(r.name()).isPositive();
                assertThat(r.uncheckedUnmaps()).as(r.name()).isZero();
            }
        }
    }

    @Test
    void injectedFaultsOnEveryPlatformLeaveNoViolationAndNoMappingBehind() throws InterruptedException {
        Faults faults = Faults.parse("rpcit-busy=0.05,rpcit-oor=0.02,rpcit-error=0.01,table-alloc=0.2,"
                + "virtio-error=0.01,inv-timeout=0.05");
        List<StressResult> results = StressRun.run(new StressRun.Options(2, 1000, 11,
                Arrays.asList(PlatformKind.values()), List.of(Policies.STRICT, Policies.LAZY_PERCPU, Policies.LEGACY), faults));
        for (StressResult r : results) {
            assertThat(r.violations()).as(r.name() + ": " + r.firstViolations()).isZero();
            assertThat(r.unmaps()).as(r.name()).isEqualTo(r.maps() + r.sgMaps());
            assertThat(r.faultsInjected()).as(r.name() + " has a fault that applies to it").isNotEmpty();
            assertThat(r.faultsInjected().values().stream().mapToLong(Long::longValue).sum()).as(r.name()).isPositive();
        }
        assertThat(results).filteredOn(r -> r.name().startsWith("virtio "))
                .allSatisfy(r -> assertThat(r.faultsInjected()).containsOnlyKeys("virtio-error"));
        assertThat(results).filteredOn(r -> r.name().startsWith("x86 "))
                .allSatisfy(r -> assertThat(r.faultsInjected()).containsOnlyKeys("table-alloc", "inv-timeout"));
        assertThat(results).filteredOn(r -> r.name().startsWith("kvm "))
                .allSatisfy(r -> assertThat(r.faultsInjected()).containsOnlyKeys("rpcit-busy", "rpcit-oor", "rpcit-error",
                        "table-alloc"));
    }

    @Test
    void aFaultThatAppliesToNoPairIsRefused() {
        assertThatThrownBy(() -> new StressRun.Options(1, 10, 1, List.of(PlatformKind.X86), List.of(Policies.STRICT),
                Faults.parse("rpcit-busy=0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--fault rpcit-busy applies to the s390");
    }

    @Test
    void legacyModesOffS390AreNoPairAtAll() {
        assertThatThrownBy(() -> new StressRun.Options(1, 10, 1, List.of(PlatformKind.X86, PlatformKind.VIRTIO),
                List.of(Policies.LEGACY, Policies.LEGACY_STRICT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("legacy runs only on lpar, zvm, kvm");
    }
}
