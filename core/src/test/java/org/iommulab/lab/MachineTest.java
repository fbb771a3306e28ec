package org.iommulab.lab;

import java.util.Map;
import org.iommulab.fault.FaultInjector;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.Policies;
import org.iommulab.sim.virtual.VirtualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.iommulab.workload.Fio;
import org.iommulab.workload.FioOptions;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** Machines driven directly, where a test needs the engine after the workload ends. */
class MachineTest {

    @Test
    void theFlushQueueTimerFiresInAnIdlePeriodAndClosesEveryWindow() {
        Scenario s = new Scenario(PlatformKind.LPAR, null, 16, Policies.LAZY_PERCPU, 0, 0,
                new WorkloadSpec.FioSpec(FioOptions.defaults()), 2, 5, 1, Map.of());
        VirtualEngine engine = new VirtualEngine(s.cpus(), s.costs());
        StaleWindowTracker tracker = new StaleWindowTracker();
        Machine m = Machines.build(s, engine, tracker);
        Fio fio = new Fio(FioOptions.defaults());
        fio.start(engine, m.devices());
        engine.runUntil(3_000_000);
        fio.stop();
        engine.runUntil(4_000_000); // drained: the queues hold entries, no I/O runs any more
        assertThat(fio.result().inFlight()).isZero();
        long timerFlushesBefore = m.flushQueue().timerFlushes();
        assertThat(tracker.pendingPages()).isPositive();

        engine.runUntil(20_000_000); // idle but for the 10 ms flush timer
        assertThat(m.flushQueue().timerFlushes()).isGreaterThan(timerFlushesBefore);
        assertThat(tracker.pendingPages()).as("every unmapped page invalidated").isZero();
    }

    @Test
    void theOldSchemeIssuesExactlyOneGlobalRpcitPerWrapOnLpar() {
        Scenario s = new Scenario(PlatformKind.LPAR, null, 1, Policies.LEGACY, 0, 0,
                new WorkloadSpec.FioSpec(FioOptions.defaults()), 4, 600, 1, Map.of());
        VirtualEngine engine = new VirtualEngine(s.cpus(), s.costs());
        S390Machine m = new S390Machine(engine, s, new StaleWindowTracker(), FaultInjector.NONE);
        Fio fio = new Fio(FioOptions.defaults());
        fio.start(engine, m.devices());
        engine.runUntil(600_000_000);
        assertThat(m.legacyWraps()).as("1 GiB aperture = 262144 pages, 1M IOPS").isGreaterThanOrEqualTo(2);
        assertThat(m.rpcit().global()).isEqualTo(m.legacyWraps());
        assertThat(m.rpcit().sync()).isZero();
        assertThat(m.rpcit().syncMap()).as("no refresh on map in an LPAR").isZero();
    }
}
