package org.iommulab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iommulab.arm.SmmuV3Config;
import org.iommulab.fault.Faults;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.sim.virtual.VirtualResourceStats;
import org.iommulab.stats.RunStats;
import org.iommulab.workload.FioOptions;
import org.iommulab.workload.MapBenchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole runs: determinism, accounting identities and the behaviours the README documents. */
class SimulationTest {

    private static Scenario quick(PlatformKind p, InvalidationPolicy m) {
        Scenario d = Scenario.defaults(p, m);
        return new Scenario(p, null, d.guestMemoryGiB(), m, 0, 0, d.workload(), 4, 20, 7, Map.of());
    }

    static List<Arguments> everyPlatformAndMode() {
        List<Arguments> out = new java.util.ArrayList<>();
        for (PlatformKind p : PlatformKind.values()) {
            for (InvalidationPolicy m : Policies.all()) {
                if (m.runsOn(p)) {
                    out.add(Arguments.of(p, m));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyPlatformAndMode")
    void everyIoEndsCompletedOrFailedAndCountersAddUp(PlatformKind p, InvalidationPolicy m) {
        RunStats r = Simulation.run(quick(p, m));
        assertThat(r.io().submitted()).isPositive();
        assertThat(r.io().submitted()).isEqualTo(r.io().completed() + r.io().failed());
        InvalidationPolicy resolved = m.resolve(p);
        long fqFlushes = r.flushQueue().fullFlushes() + r.flushQueue().timerFlushes();
        if (p.s390() && (resolved == Policies.LAZY_PERCPU || resolved == Policies.LAZY_SINGLE)) {
            // debugfs "Global RPCITs" counts flush_iotlb_all only (v6.7); the global refresh after an
            // out-of-resources RPCIT is counted in rpcit.outOfResource.
            assertThat(r.rpcit().global()).as("Global RPCITs = queue-full + timer flushes").isEqualTo(fqFlushes);
        } else if (p.s390() && resolved.takesQueueSettings()) {
            // other queues may flush by ranges: each flush is one global RPCIT or at least one ranged one
            assertThat(r.rpcit().global()).as("Global RPCITs <= queue flushes").isLessThanOrEqualTo(fqFlushes);
            assertThat(r.rpcit().global() + r.rpcit().sync()).as("every queue flush invalidated")
                    .isGreaterThanOrEqualTo(fqFlushes);
        }
        if (p.s390() && resolved == Policies.STRICT) {
            assertThat(r.rpcit().sync()).as("one Sync RPCIT per strict unmap").isEqualTo(r.io().completed());
        }
        assertThat(r.cpu().busyNs()).isPositive();
    }

    @Test
    void theSameScenarioGivesTheSameResultByteForByte() {
        for (PlatformKind p : List.of(PlatformKind.KVM, PlatformKind.LPAR, PlatformKind.X86)) {
            Scenario s = quick(p, Policies.AUTO);
            assertThat(withoutWallTime(Simulation.run(s))).isEqualTo(withoutWallTime(Simulation.run(s)));
        }
        Scenario a = quick(PlatformKind.KVM, Policies.LAZY_PERCPU);
        Scenario b = new Scenario(a.platform(), null, a.guestMemoryGiB(), a.dma(), 0, 0, a.workload(), a.cpus(),
                a.durationMs(), a.seed() + 1, Map.of());
        assertThat(withoutWallTime(Simulation.run(a))).as("another seed, another run")
                .isNotEqualTo(withoutWallTime(Simulation.run(b)));
    }

    static List<WorkloadSpec> everyWorkload() {
        return List.of(new WorkloadSpec.FioSpec(FioOptions.defaults()),
                new WorkloadSpec.NetperfSpec(org.iommulab.workload.NetperfOptions.defaults()),
                new WorkloadSpec.MapBenchSpec(MapBenchOptions.defaults().withDmaBits(64)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyWorkload")
    void everyWorkloadDrawsItsTimingFromTheSeed(WorkloadSpec w) {
        Scenario a = new Scenario(PlatformKind.KVM, null, 16, Policies.LAZY_SINGLE, 0, 0, w, 4, 20, 1, Map.of());
        assertThat(withoutWallTime(Simulation.run(a))).as("same seed, same run")
                .isEqualTo(withoutWallTime(Simulation.run(a)));
        assertThat(withoutWallTime(Simulation.run(a.withSeed(2)))).as("another seed, another run")
                .isNotEqualTo(withoutWallTime(Simulation.run(a)));
    }

    private static Scenario eightCpus(PlatformKind p, InvalidationPolicy m) {
        Scenario d = Scenario.defaults(p, m);
        return new Scenario(p, null, d.guestMemoryGiB(), m, 0, 0, d.workload(), 8, 20, 7, Map.of());
    }

    @Test
    void aDeviceBoundRunIsLimitedByTheDrive() {
        // LPAR flushes cost the guest little: 8 CPUs x 32 I/Os in flight outrun the drive's command ceiling
        RunStats r = Simulation.run(eightCpus(PlatformKind.LPAR, Policies.STRICT));
        assertThat(r.limitedBy().resource()).isEqualTo("nvme0.controller");
        assertThat(r.limitedBy().busyFraction()).isGreaterThan(0.95);
    }

    @Test
    void aLockBoundRunIsLimitedByTheHypervisorsGlobalLock() {
        RunStats r = Simulation.run(eightCpus(PlatformKind.ZVM, Policies.STRICT));
        assertThat(r.limitedBy().resource()).isEqualTo("zvm-global-lock");
        assertThat(r.limitedBy().busyFraction()).isGreaterThan(0.9);
        assertThat(r.locks()).filteredOn(l -> l.name().equals("zvm-global-lock")).singleElement()
                .satisfies(l -> assertThat((double) l.busyNs() / r.virtualTimeNs()).isEqualTo(r.limitedBy().busyFraction()));
    }

    @Test
    void aSingleMapBenchThreadIsLimitedByItsCpu() {
        WorkloadSpec bench = new WorkloadSpec.MapBenchSpec(MapBenchOptions.defaults().withDmaBits(64));
        RunStats r = Simulation.run(new Scenario(PlatformKind.X86, null, 16, Policies.STRICT, 0, 0, bench, 4, 20, 1,
                Map.of()));
        assertThat(r.limitedBy().resource()).isEqualTo("cpu");
        assertThat(r.cpu().utilisation(r.virtualTimeNs())).as("one CPU of four").isLessThan(0.3);
    }

    @Test
    void progressIsToldEachHundredthAndChangesNothing() {
        Scenario s = quick(PlatformKind.KVM, Policies.AUTO);
        List<Long> seen = new java.util.ArrayList<>();
        RunStats watched = Simulation.run(s, (done, total) -> {
            assertThat(total).isEqualTo(20_000_000L);
            seen.add(done);
        });
        assertThat(seen).hasSize(100).isSorted().endsWith(20_000_000L);
        assertThat(withoutWallTime(watched)).isEqualTo(withoutWallTime(Simulation.run(s)));
    }

    private static String withoutWallTime(RunStats r) {
        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        m.remove("wallTimeMs");
        return m.toString();
    }

    @Test
    void manyCpusOnTheSingleQueueWaitForItsLockFarMoreThanOnPerCpuQueues() {
        WorkloadSpec bench = new WorkloadSpec.MapBenchSpec(MapBenchOptions.defaults().withThreads(16));
        RunStats single = Simulation.run(new Scenario(PlatformKind.X86, null, 16, Policies.LAZY_SINGLE, 0, 0, bench, 16,
                20, 1, Map.of()));
        RunStats perCpu = Simulation.run(new Scenario(PlatformKind.X86, null, 16, Policies.LAZY_PERCPU, 0, 0, bench, 16,
                20, 1, Map.of()));
        long singleWait = fqLockWaitNs(single);
        assertThat(singleWait).isPositive();
        assertThat(single.cpu().byCategoryNs().get(org.iommulab.sim.CostCategory.LOCK_WAIT)).isPositive();
        // Per-CPU queues meet only when the timer drains every CPU's queue.
        assertThat(fqLockWaitNs(perCpu) * 10).isLessThan(singleWait);
    }

    private static long fqLockWaitNs(RunStats r) {
        return r.locks().stream().filter(l -> l.name().contains(" fq")).mapToLong(VirtualResourceStats::waitNs).sum();
    }

    @Test
    void theStaleWindowOfTheSingleQueueStaysWithinItsTimeoutRoundedByTheTimerWheelPlusOneFlush() {
        FioOptions light = FioOptions.defaults().withIodepth(1);
        long lparFlushNs = org.iommulab.sim.Cost.RPCIT_LPAR.defaultNs();
        // HZ 100 (s390's): 20 ms is 2 jiffies, fired at the third tick after arming, 20-30 ms later
        RunStats hz100 = Simulation.run(new Scenario(PlatformKind.LPAR, null, 16, Policies.LAZY_SINGLE, 0, 20,
                new WorkloadSpec.FioSpec(light), 2, 200, 3, Map.of()));
        assertThat(hz100.flushQueue().timerFlushes()).as("light load: the timer does the flushing").isPositive();
        assertThat(hz100.flushQueue().fullFlushes()).isZero();
        assertThat(hz100.staleWindow().maxNs()).isGreaterThan(20_000_000L)
                .isLessThanOrEqualTo(30_000_000L + lparFlushNs + 100_000L);
        // HZ 1000: 21-22 ms
        RunStats hz1000 = Simulation.run(new Scenario(PlatformKind.LPAR, null, 16, Policies.LAZY_SINGLE, 0, 20,
                new WorkloadSpec.FioSpec(light), 2, 200, 3, Map.of(), new KernelConfig(1000, 6, true), 1, SmmuV3Config.DEFAULTS, Faults.NONE));
        assertThat(hz1000.staleWindow().maxNs()).isGreaterThan(20_000_000L)
                .isLessThanOrEqualTo(22_000_000L + lparFlushNs + 100_000L);
    }

    @Test
    void theOldSchemeThatNeverWrapsReportsItsOpenWindowsAsLowerBounds() {
        Scenario d = Scenario.defaults(PlatformKind.LPAR, Policies.LEGACY);
        RunStats r = Simulation.run(new Scenario(PlatformKind.LPAR, null, 16, Policies.LEGACY, 0, 0, d.workload(), 1, 200, 1,
                Map.of()));
        assertThat(r.staleWindow().stillOpenPages()).as("no wrap in 200 ms: nothing was invalidated").isPositive();
        assertThat(r.staleWindow().lowerBound()).isTrue();
        assertThat(r.staleWindow().p99Ns()).as("the oldest open pages are about the run's age")
                .isGreaterThan(150_000_000L);
        assertThat(r.toMap().get("staleWindowNs")).asString().contains("lowerBound=true");
    }

    @Test
    void badScenariosAreRefusedNamingTheValue() {
        Scenario d = Scenario.defaults(PlatformKind.KVM, Policies.AUTO);
        assertThatThrownBy(() -> new Scenario(PlatformKind.X86, null, 16, Policies.LEGACY, 0, 0, d.workload(), 4, 10, 1,
                Map.of())).hasMessageContaining("legacy").hasMessageContaining("x86");
        assertThatThrownBy(() -> new Scenario(PlatformKind.KVM, null, 16, Policies.STRICT, 64, 0, d.workload(), 4, 10, 1,
                Map.of())).hasMessageContaining("--fq-size");
        assertThatThrownBy(() -> new Scenario(PlatformKind.KVM, null, 16, Policies.AUTO, 0, 0, d.workload(), 0, 10, 1,
                Map.of())).hasMessageContaining("cpus 0");
        assertThatThrownBy(() -> new Scenario(PlatformKind.KVM, null, 16, Policies.AUTO, 0, 0, d.workload(), 4, 10, 1,
                Map.of("nope", 1L))).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> Simulation.run(new Scenario(PlatformKind.LPAR, null, 16, Policies.LAZY_SINGLE, 1000, 0,
                d.workload(), 4, 10, 1, Map.of()))).hasMessageContaining("1000");
    }
}
