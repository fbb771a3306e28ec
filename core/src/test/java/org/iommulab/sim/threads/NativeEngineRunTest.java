package org.iommulab.sim.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.TimerCallback;
import org.junit.jupiter.api.Test;

/** Work posted to the native engine's CPUs runs on them, earliest first, until none is left. */
class NativeEngineRunTest {

    @Test
    void aCpuRunsItsWorkEarliestFirstAndEqualTimesInOrderPosted() throws InterruptedException {
        List<String> order = new ArrayList<>();
        try (NativeEngine engine = new NativeEngine(2)) {
            long t = engine.cpu(0).nowNs();
            engine.post(0, t + 200_000_000, cpu -> order.add("late"));
            engine.post(0, t + 100_000_000, cpu -> order.add("a"));
            engine.post(0, t + 100_000_000, cpu -> {
                order.add("b");
                // posted by the CPU for itself: one before the queue's last, one after it
                engine.post(0, cpu.nowNs(), c -> order.add("now"));
                engine.post(0, cpu.nowNs() + 500_000_000, c -> order.add("last"));
            });
            engine.run(10_000_000_000L, () -> {});
        }
        assertThat(order).containsExactly("a", "b", "now", "late", "last");
    }

    @Test
    void workPostedToAnotherCpuRunsThereAndTheRunEndsWhenAllIsDone() throws InterruptedException {
        AtomicInteger ranOn1 = new AtomicInteger();
        List<Integer> hops = new ArrayList<>();
        try (NativeEngine engine = new NativeEngine(3)) {
            engine.post(0, 0, new PingPong(engine, 1000, ranOn1, hops));
            long start = System.nanoTime();
            engine.run(60_000_000_000L, () -> {});
            assertThat(System.nanoTime() - start).as("ended once idle, not after the duration")
                    .isLessThan(30_000_000_000L);
        }
        assertThat(ranOn1.get()).isEqualTo(500);
        assertThat(hops).hasSize(1000);
    }

    @Test
    void stopLetsPostedWorkFinish() throws InterruptedException {
        AtomicInteger after = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        try (NativeEngine engine = new NativeEngine(2)) {
            engine.post(1, 0, new LoopUntilStopped(engine, stopped, after));
            engine.run(5_000_000L, () -> stopped.set(true));
        }
        assertThat(after.get()).isEqualTo(1);
    }

    @Test
    void aFailureOfTheWorkIsRethrownAndEndsEveryCpu() throws InterruptedException {
        try (NativeEngine engine = new NativeEngine(2)) {
            engine.post(0, 0, new Spin(engine));
            engine.post(1, 0, cpu -> {
                throw new IllegalStateException("broken");
            });
            assertThatThrownBy(() -> engine.run(60_000_000_000L, () -> {})).hasMessage("broken");
            assertThatThrownBy(() -> engine.run(1, () -> {})).hasMessage("this engine has already run");
        }
        try (NativeEngine engine = new NativeEngine(1)) {
            assertThatThrownBy(() -> engine.post(1, 0, cpu -> {})).hasMessage("cpu 1 does not exist; 0 <= cpu < 1");
        }
    }

    /** Alternates between CPUs 0 and 1, {@code left} times. */
    private record PingPong(NativeEngine engine, int left, AtomicInteger ranOn1, List<Integer> hops)
            implements TimerCallback {
        @Override
        public void run(Cpu cpu) {
            synchronized (hops) {
                hops.add(cpu.id());
            }
            if (cpu.id() == 1) {
                ranOn1.incrementAndGet();
            }
            if (left > 1) {
                engine.post(1 - cpu.id(), 0, new PingPong(engine, left - 1, ranOn1, hops));
            }
        }
    }

    /** Reposts itself until stopped, then posts one last job to the other CPU. */
    private record LoopUntilStopped(NativeEngine engine, AtomicBoolean stopped, AtomicInteger after)
            implements TimerCallback {
        @Override
        public void run(Cpu cpu) {
            if (!stopped.get()) {
                engine.post(cpu.id(), cpu.nowNs() + 100_000, this);
            } else {
                engine.post(0, 0, c -> after.incrementAndGet());
            }
        }
    }

    /** Keeps its CPU busy until the run ends. */
    private record Spin(NativeEngine engine) implements TimerCallback {
        @Override
        public void run(Cpu cpu) {
            engine.post(cpu.id(), cpu.nowNs() + 1000, this);
        }
    }
}
