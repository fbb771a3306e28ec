package org.iommulab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.iommulab.dma.DeferredFlush;
import org.iommulab.dma.DeferredFlushContext;
import org.iommulab.dma.FlushQueue;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.Simulation;
import org.iommulab.nativebench.StressResult;
import org.iommulab.nativebench.StressRun;
import org.iommulab.platform.PlatformKind;
import org.iommulab.sim.Cpu;
import org.iommulab.stats.RunStats;
import org.junit.jupiter.api.Test;

/**
 * A new invalidation policy is one class: {@link FlushEveryN} below, a queue that flushes the
 * domain once every N unmaps and publishes its own counter, runs in the simulator and through the
 * native stress checker without any other change (registering it in {@link Policies} would add it to the CLI).
 */
class NewPolicyInOneClassTest {

    /** One shared ring; the unmap that fills it flushes and frees everything queued before the flush. */
    static final class FlushEveryN implements InvalidationPolicy {

        private static final int N = 64;

        @Override
        public String name() {
            return "flush-every-64";
        }

        @Override
        public String description() {
            return "one queue of 64 unmaps, flushed when full, no timer";
        }

        @Override
        public DmaSetup setup(PlatformKind platform, QueueSettings settings) {
            return new DmaSetup.Iommu(false, null, Queue::new);
        }

        private static final class Queue implements DeferredFlush {
            private final DeferredFlushContext context;
            private final FlushQueue ring;
            private final AtomicLong started = new AtomicLong();
            private final AtomicLong finished = new AtomicLong();

            Queue(DeferredFlushContext context) {
                this.context = context;
                this.ring = new FlushQueue(context.engine().newSpinLock(context.name() + " every-n"), 2 * N);
                context.engine().metrics().unit("every-n").counter("flushes", started::get);
            }

            @Override
            public void queueIova(Cpu cpu, long pfn, long pages) {
                ring.lock(cpu);
                try {
                    ring.ringAdd(cpu, pfn, pages, started.get());
                    if (ring.occupancy() >= N) {
                        started.incrementAndGet();
                        context.flusher().flushIotlbAll(cpu);
                        finished.incrementAndGet();
                        context.counters().queueFullFlush();
                        ring.ringFreeLocked(cpu, finished.get(), context.freer());
                    }
                } finally {
                    ring.unlock(cpu);
                }
            }

            @Override
            public void free() {
            }

            @Override
            public long flushStartCount() {
                return started.get();
            }

            @Override
            public long flushFinishCount() {
                return finished.get();
            }

            @Override
            public long entriesQueued() {
                return ring.queued();
            }

            @Override
            public long entriesFreed() {
                return ring.freed();
            }

            @Override
            public int peakOccupancy() {
                return ring.peakOccupancy();
            }

            @Override
            public int occupancy() {
                return ring.occupancy();
            }
        }
    }

    private final InvalidationPolicy policy = new FlushEveryN();

    @Test
    void itRunsInTheSimulatorAndFlushesOncePerNUnmaps() {
        Scenario d = Scenario.defaults(PlatformKind.KVM, policy);
        Scenario s = new Scenario(d.platform(), null, d.guestMemoryGiB(), policy, 0, 0, d.workload(), 4, 20, 1, Map.of());
        RunStats r = Simulation.run(s);
        assertThat(r.io().completed()).isPositive();
        assertThat(r.flushQueue().timerFlushes()).isZero();
        assertThat(r.flushQueue().fullFlushes()).isEqualTo(r.pages().unmapped() / FlushEveryN.N);
        assertThat(r.metrics()).as("its own counter, reported with no code outside the class")
                .containsEntry("every-n.flushes", r.flushQueue().fullFlushes());
    }

    @Test
    void itPassesTheNativeStressChecker() throws InterruptedException {
        List<StressResult> results = StressRun.run(new StressRun.Options(2, 300, 3,
                List.of(PlatformKind.X86, PlatformKind.LPAR), List.of(policy)));
        assertThat(results).hasSize(2);
        for (StressResult r : results) {
            assertThat(r.violations()).as(r.name() + ": " + r.firstViolations()).isZero();
            assertThat(r.unmaps()).as(r.name()).isPositive();
        }
    }
}
