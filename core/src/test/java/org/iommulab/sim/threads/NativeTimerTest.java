package org.iommulab.sim.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.iommulab.sim.KTimer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A native timer expires on the timer thread and runs on the CPU that armed it, at that CPU's next
 * interrupt point; if the CPU does not come to one, the timer thread runs it on the CPU's behalf.
 * The tests wait for events, never for a time; only a hang is cut short, by JUnit's timeout.
 */
@Timeout(60)
class NativeTimerTest {

    /** A backstop or run length that never comes within a test. */
    private static final long NEVER_NS = TimeUnit.HOURS.toNanos(1);

    @Test
    void anExpiredTimerRunsOnTheThreadOfTheCpuThatArmedIt() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicInteger ranFor = new AtomicInteger(-1);
        try (NativeEngine engine = new NativeEngine(2, NEVER_NS)) {
            KTimer timer = engine.newTimer("t", cpu -> {
                ranOn.set(Thread.currentThread());
                ranFor.set(cpu.id());
            });
            timer.mod(engine.cpu(1), 0);
            assertThat(timer.pending()).isTrue();
            awaitOrFail(() -> {
                engine.cpu(1).runSoftirqs();
                return ranOn.get() != null;
            });
            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
            assertThat(ranFor.get()).isEqualTo(1);
            assertThat(timer.pending()).isFalse();
        }
    }

    @Test
    void anotherCpusInterruptPointDoesNotRunIt() {
        AtomicInteger runs = new AtomicInteger();
        try (NativeEngine engine = new NativeEngine(2, NEVER_NS)) {
            KTimer timer = engine.newTimer("t", cpu -> runs.incrementAndGet());
            expireOn(engine, timer, 1);
            engine.cpu(0).runSoftirqs();
            assertThat(runs).hasValue(0);
            assertThat(timer.pending()).isTrue();
            engine.cpu(1).runSoftirqs();
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void aTimerReArmedAfterItsExpiryWasRaisedRunsOnlyForItsNewArming() {
        AtomicInteger runs = new AtomicInteger();
        try (NativeEngine engine = new NativeEngine(1, NEVER_NS)) {
            KTimer timer = engine.newTimer("t", cpu -> runs.incrementAndGet());
            expireOn(engine, timer, 0);
            timer.mod(engine.cpu(0), NEVER_NS);
            engine.cpu(0).runSoftirqs();
            assertThat(runs).hasValue(0);
            assertThat(timer.pending()).isTrue();
            assertThat(timer.schedule(engine.cpu(0), 0)).as("schedule of a pending timer").isFalse();
        }
    }

    @Test
    void aTimerCancelledAfterItsExpiryWasRaisedDoesNotRun() {
        AtomicInteger runs = new AtomicInteger();
        try (NativeEngine engine = new NativeEngine(1, NEVER_NS)) {
            KTimer timer = engine.newTimer("t", cpu -> runs.incrementAndGet());
            expireOn(engine, timer, 0);
            timer.cancel();
            engine.cpu(0).runSoftirqs();
            assertThat(runs).hasValue(0);
            assertThat(timer.pending()).isFalse();
        }
    }

    @Test
    void aCpuThatNeverReachesAnInterruptPointHasItsTimerRunByTheTimerThread() throws InterruptedException {
        AtomicReference<String> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        try (NativeEngine engine = new NativeEngine(1, 0)) {
            KTimer timer = engine.newTimer("t", cpu -> {
                ranOn.set(Thread.currentThread().getName());
                ran.countDown();
            });
            timer.mod(engine.cpu(0), 0);
            ran.await();
            assertThat(((NativeCpu) engine.cpu(0)).softirqPending()).as("taken back from the CPU").isFalse();
        }
        assertThat(ranOn.get()).isEqualTo("iommu-lab-timer");
    }

    /**
     * The CPU's interrupt point and the backstop race to run one raised expiry, 200 times: each
     * runs exactly once. Both contenders are joined before counting, so no wait is needed.
     */
    @Test
    void aRaisedExpiryRunsOnceWhoeverClaimsIt() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        try (NativeEngine engine = new NativeEngine(1, NEVER_NS)) {
            NativeCpu cpu = (NativeCpu) engine.cpu(0);
            KTimer timer = engine.newTimer("t", c -> runs.incrementAndGet());
            for (int arming = 1; arming <= 200; arming++) {
                expireOn(engine, timer, 0);
                NativeTimer.Expiry expiry = cpu.raised.peek();
                CountDownLatch go = new CountDownLatch(1);
                Thread backstop = new Thread(() -> {
                    awaitQuietly(go);
                    cpu.withdraw(expiry);
                    expiry.runOn(cpu);
                });
                backstop.start();
                go.countDown();
                cpu.runSoftirqs();
                backstop.join();
                assertThat(runs).as("runs after arming %d", arming).hasValue(arming);
                assertThat(timer.pending()).isFalse();
            }
        }
    }

    @Test
    void anIdleCpuLoopWakesToRunATimerThatExpiredOnIt() throws InterruptedException {
        AtomicReference<String> ranOn = new AtomicReference<>();
        try (NativeEngine engine = new NativeEngine(2, NEVER_NS)) {
            KTimer timer = engine.newTimer("t", cpu -> ranOn.set(Thread.currentThread().getName()));
            engine.post(0, 0, cpu -> {
                timer.mod(engine.cpu(1), 1_000_000);
                awaitOrFail(() -> ranOn.get() != null);
            });
            engine.run(NEVER_NS, () -> {});
        }
        assertThat(ranOn.get()).isEqualTo("iommu-lab-cpu1");
    }

    @Test
    void aClosedEnginesRaisedTimerNeverRuns() {
        AtomicInteger runs = new AtomicInteger();
        NativeEngine engine = new NativeEngine(1, NEVER_NS);
        KTimer timer = engine.newTimer("t", cpu -> runs.incrementAndGet());
        expireOn(engine, timer, 0);
        engine.close();
        engine.cpu(0).runSoftirqs();
        assertThat(runs).hasValue(0);
    }

    /** Arms {@code timer} on CPU {@code cpuId} to expire now and waits until the expiry is raised there. */
    private static void expireOn(NativeEngine engine, KTimer timer, int cpuId) {
        timer.mod(engine.cpu(cpuId), 0);
        awaitOrFail(((NativeCpu) engine.cpu(cpuId))::softirqPending);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitOrFail(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            Thread.onSpinWait();
        }
    }
}
