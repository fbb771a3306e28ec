package org.iommulab.sim.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Engine;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VirtualEngineTest {

    private static final CostModel COSTS = CostModel.defaults();

    @Test
    void runsEventsInTimeOrderAndEqualTimesInPostOrder() {
        VirtualEngine engine = new VirtualEngine(3, COSTS);
        List<String> trace = new ArrayList<>();
        engine.post(0, 300, cpu -> trace.add("a@" + engine.nowNs()));
        engine.post(1, 100, cpu -> trace.add("b@" + engine.nowNs()));
        engine.post(2, 100, cpu -> trace.add("c@" + engine.nowNs()));
        engine.post(0, 100, cpu -> trace.add("d@" + engine.nowNs()));
        engine.post(1, 200, cpu -> trace.add("e@" + engine.nowNs()));

        engine.runUntil(1_000);

        assertThat(trace).containsExactly("b@100", "c@100", "d@100", "e@200", "a@300");
        assertThat(engine.eventsRun()).isEqualTo(5);
        assertThat(engine.idle()).isTrue();
    }

    @Test
    void busyCpuTakesItsEventWhenFreeWhileOtherCpusGoOn() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        List<String> trace = new ArrayList<>();
        long driver = COSTS.ns(Cost.BLOCK_SUBMIT_COMPLETE);
        engine.post(0, 0, cpu -> cpu.spend(Cost.BLOCK_SUBMIT_COMPLETE, 2));
        engine.post(0, 500, cpu -> trace.add("late cpu0 at " + cpu.nowNs()));
        engine.post(1, 700, cpu -> trace.add("cpu1 at " + cpu.nowNs()));

        engine.runUntil(Long.MAX_VALUE);

        assertThat(trace).containsExactly("cpu1 at 700", "late cpu0 at " + 2 * driver);
        assertThat(engine.nowNs()).isEqualTo(2 * driver);
        assertThat(engine.cpu(1).busyNs()).isZero();
        assertThat(engine.cpu(1).nowNs()).isEqualTo(700);
    }

    @Test
    void deferredEventsOfOneCpuKeepTheirOrder() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        List<Integer> order = new ArrayList<>();
        engine.post(0, 0, cpu -> cpu.spend(Cost.BLOCK_SUBMIT_COMPLETE));
        for (int i = 1; i <= 5; i++) {
            int n = i;
            engine.post(0, 10L * (6 - i), cpu -> order.add(n));
        }

        engine.runUntil(Long.MAX_VALUE);

        assertThat(order).containsExactly(5, 4, 3, 2, 1);
    }

    @Test
    void stopsAfterEndAndResumes() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        List<Long> seen = new ArrayList<>();
        engine.post(0, 100, cpu -> seen.add(engine.nowNs()));
        engine.post(0, 200, cpu -> seen.add(engine.nowNs()));

        engine.runUntil(150);
        assertThat(seen).containsExactly(100L);
        assertThat(engine.idle()).isFalse();

        engine.runUntil(200);
        assertThat(seen).containsExactly(100L, 200L);
    }

    @Test
    void anEventPostedInThePastRunsNow() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        List<Long> seen = new ArrayList<>();
        engine.post(0, 1_000, cpu -> engine.post(1, 10, c -> seen.add(engine.nowNs())));

        engine.runUntil(Long.MAX_VALUE);

        assertThat(seen).containsExactly(1_000L);
    }

    @Test
    void rejectsUnknownCpuAndNegativeWork() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        assertThatThrownBy(() -> engine.post(2, 0, cpu -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpu 2");
        assertThatThrownBy(() -> engine.cpu(0).spend(Cost.PTE_WRITE, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VirtualEngine(0, COSTS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contendedLockMakesLaterCpusWaitAndCountsIt() {
        int n = 4;
        VirtualEngine engine = new VirtualEngine(n, COSTS);
        SpinLock lock = engine.newSpinLock("fq_lock");
        long hold = 5 * COSTS.ns(Cost.PTE_WRITE);
        long first = COSTS.ns(Cost.SPIN_LOCK) + hold;
        // every later holder first pulls the lock's line over from the CPU before it
        long perHolder = first + COSTS.ns(Cost.LOCK_LINE_TRANSFER);
        for (int i = 0; i < n; i++) {
            engine.post(i, 0, cpu -> {
                lock.lock(cpu);
                cpu.spend(Cost.PTE_WRITE, 5);
                lock.unlock(cpu);
            });
        }

        engine.runUntil(Long.MAX_VALUE);

        long totalWait = 0;
        for (int i = 0; i < n; i++) {
            VirtualCpu cpu = engine.cpu(i);
            long wait = i == 0 ? 0 : first + (i - 1) * perHolder;
            assertThat(cpu.busyNs(CostCategory.LOCK_WAIT)).isEqualTo(wait);
            assertThat(cpu.nowNs()).isEqualTo(wait + (i == 0 ? first : perHolder));
            totalWait += wait;
        }
        assertThat(engine.resourceStats()).containsExactly(
                new VirtualResourceStats("fq_lock", n, n - 1, totalWait, first + (n - 1) * perHolder));
        assertThat(engine.busyNs(CostCategory.LOCK_WAIT)).isEqualTo(totalWait);
    }

    @Test
    void lockWaitCanBeBookedAsHypervisorTime() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        Engine generic = engine;
        SpinLock bql = generic.newSpinLock("qemu-bql", CostCategory.HYPERVISOR);
        for (int i = 0; i < 2; i++) {
            engine.post(i, 0, cpu -> {
                bql.lock(cpu);
                cpu.spend(Cost.KVM_RPCIT_EXIT);
                bql.unlock(cpu);
            });
        }

        engine.runUntil(Long.MAX_VALUE);

        long perHolder = COSTS.ns(Cost.SPIN_LOCK) + COSTS.ns(Cost.KVM_RPCIT_EXIT);
        assertThat(engine.cpu(1).busyNs(CostCategory.HYPERVISOR)).isEqualTo(perHolder - COSTS.ns(Cost.SPIN_LOCK) + perHolder);
        assertThat(engine.busyNs(CostCategory.LOCK_WAIT)).isZero();
    }

    @Test
    void aLockTakenLateInALongEventDoesNotDelayAnEarlierAcquisitionOnAnotherCpu() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        SpinLock lock = engine.newSpinLock("iova_rcache");
        long exit = COSTS.ns(Cost.KVM_RPCIT_EXIT);
        engine.post(0, 0, cpu -> {
            cpu.spend(Cost.KVM_RPCIT_EXIT); // long work first: the event runs to its end before cpu1's starts
            lock.lock(cpu);
            lock.unlock(cpu);
        });
        engine.post(1, 100, cpu -> {
            lock.lock(cpu);
            lock.unlock(cpu);
        });

        engine.runUntil(Long.MAX_VALUE);

        assertThat(engine.busyNs(CostCategory.LOCK_WAIT)).as("the lock was free at cpu1's time").isZero();
        assertThat(engine.cpu(1).nowNs()).isLessThan(exit);
        assertThat(engine.resourceStats().get(0).contended()).isZero();
    }

    @Test
    void uncontendedLockWaitsForNobody() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        SpinLock lock = engine.newSpinLock("l");
        engine.post(0, 0, cpu -> {
            lock.lock(cpu);
            lock.unlock(cpu);
        });
        engine.post(1, 1_000, cpu -> {
            lock.lock(cpu);
            lock.unlock(cpu);
        });

        engine.runUntil(Long.MAX_VALUE);

        assertThat(engine.resourceStats().get(0)).isEqualTo(new VirtualResourceStats("l", 2, 0, 0,
                2 * COSTS.ns(Cost.SPIN_LOCK) + COSTS.ns(Cost.LOCK_LINE_TRANSFER)));
    }

    @Test
    void takingAHeldLockOrReleasingAForeignOneIsAModelBug() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        SpinLock lock = engine.newSpinLock("l");
        lock.lock(engine.cpu(0));
        assertThatThrownBy(() -> lock.lock(engine.cpu(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held by cpu0");
        assertThatThrownBy(() -> lock.unlock(engine.cpu(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void serialResourceQueuesJobsBehindEachOther() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        VirtualSerialResource queue = engine.newSerialResource("nvme-sq");

        assertThat(queue.reserve(0, 100)).isEqualTo(0);
        assertThat(queue.reserve(50, 100)).isEqualTo(100);
        assertThat(queue.reserve(60, 100)).isEqualTo(200);
        assertThat(queue.reserve(1_000, 10)).isEqualTo(1_000);
        assertThat(queue.busyUntilNs()).isEqualTo(1_010);

        assertThat(queue.stats()).isEqualTo(new VirtualResourceStats("nvme-sq", 4, 2, 50 + 140, 310));
        assertThatThrownBy(() -> queue.reserve(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timerFiresInAnIdlePeriodOnTheArmingCpu() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        List<String> fired = new ArrayList<>();
        KTimer timer = engine.newTimer("fq_timer", cpu -> fired.add(cpu + "@" + cpu.nowNs()));
        engine.post(1, 100, cpu -> timer.mod(cpu, 1_000_000));

        engine.runUntil(50_000_000);

        assertThat(fired).containsExactly("cpu1@1000100");
        assertThat(timer.pending()).isFalse();
        assertThat(engine.cpu(1).busyNs()).isZero();
    }

    @Test
    void modRearmsScheduleArmsOnlyWhenIdleCancelDisarms() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        List<Long> fired = new ArrayList<>();
        KTimer timer = engine.newTimer("t", cpu -> fired.add(engine.nowNs()));
        VirtualCpu cpu0 = engine.cpu(0);

        assertThat(timer.schedule(cpu0, 100)).isTrue();
        assertThat(timer.schedule(cpu0, 50)).isFalse();
        assertThat(timer.pending()).isTrue();
        engine.runUntil(1_000);
        assertThat(fired).containsExactly(100L);

        engine.post(0, 2_000, cpu -> timer.mod(cpu, 100));
        engine.post(0, 2_050, cpu -> timer.mod(cpu, 100));
        engine.runUntil(3_000);
        assertThat(fired).containsExactly(100L, 2_150L);

        engine.post(0, 4_000, cpu -> timer.mod(cpu, 100));
        engine.post(0, 4_050, cpu -> timer.cancel());
        engine.runUntil(5_000);
        assertThat(fired).containsExactly(100L, 2_150L);
        assertThat(timer.pending()).isFalse();
    }

    @Test
    void cancellingAnotherCpusFirstEventLetsItsNextRunOnlyAtItsTime() {
        VirtualEngine engine = new VirtualEngine(2, COSTS);
        List<String> trace = new ArrayList<>();
        KTimer timer = engine.newTimer("t", cpu -> trace.add("timer@" + engine.nowNs()));
        timer.mod(engine.cpu(1), 100);
        engine.post(1, 300, cpu -> trace.add("cpu1@" + engine.nowNs()));
        engine.post(0, 50, cpu -> timer.cancel());
        engine.post(0, 200, cpu -> trace.add("cpu0@" + engine.nowNs()));

        engine.runUntil(1_000);

        assertThat(trace).containsExactly("cpu0@200", "cpu1@300");
    }

    @Test
    void callbackCanRearmItsOwnTimer() {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        List<Long> fired = new ArrayList<>();
        KTimer[] timer = new KTimer[1];
        timer[0] = engine.newTimer("periodic", cpu -> {
            fired.add(engine.nowNs());
            assertThat(timer[0].pending()).isFalse();
            timer[0].schedule(cpu, 1_000);
        });
        timer[0].mod(engine.cpu(0), 1_000);

        engine.runUntil(3_500);

        assertThat(fired).containsExactly(1_000L, 2_000L, 3_000L);
        assertThat(timer[0].pending()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1_000, 31_337, 271_828, 314_159})
    void categoriesAddUpToBusyTime(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        VirtualEngine engine = new VirtualEngine(4, COSTS);
        SpinLock lock = engine.newSpinLock("l");
        Cost[] all = Cost.values();
        for (int i = 0; i < 200; i++) {
            Cost cost = all[rnd.nextInt(all.length)];
            int n = rnd.nextInt(5);
            boolean locked = rnd.nextBoolean();
            engine.post(rnd.nextInt(4), rnd.nextLong(100_000), cpu -> {
                if (locked) {
                    lock.lock(cpu);
                }
                cpu.spend(cost, n);
                if (locked) {
                    lock.unlock(cpu);
                }
            });
        }

        engine.runUntil(Long.MAX_VALUE);

        long total = 0;
        for (int i = 0; i < 4; i++) {
            VirtualCpu cpu = engine.cpu(i);
            long sum = 0;
            for (CostCategory c : CostCategory.values()) {
                sum += cpu.busyNs(c);
            }
            assertThat(sum).isEqualTo(cpu.busyNs());
            assertThat(cpu.busyNs()).isLessThanOrEqualTo(cpu.nowNs());
            total += sum;
        }
        assertThat(engine.busyNs()).isEqualTo(total);
        assertThat(engine.busyNs(CostCategory.LOCK_WAIT)).isEqualTo(engine.resourceStats().get(0).waitNs());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 99, 2024, 65_537, 123_456_789})
    void identicalRunsGiveIdenticalTraces(long seed) {
        String first = randomRun(seed);
        String second = randomRun(seed);

        assertThat(second).isEqualTo(first);
        assertThat(randomRun(seed + 1)).isNotEqualTo(first);
    }

    /** Jobs that spend, lock, arm timers and post follow-ups at random; the trace of what ran when. */
    private static String randomRun(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        VirtualEngine engine = new VirtualEngine(8, COSTS);
        SpinLock lock = engine.newSpinLock("shared");
        VirtualSerialResource device = engine.newSerialResource("device");
        StringBuilder trace = new StringBuilder();
        long[] lastNow = {0};
        KTimer timer = engine.newTimer("t", cpu -> trace.append("T").append(cpu.id()).append('@')
                .append(engine.nowNs()).append('\n'));
        Cost[] all = Cost.values();
        TimerCallback[] step = new TimerCallback[1];
        step[0] = cpu -> {
            assertThat(engine.nowNs()).isGreaterThanOrEqualTo(lastNow[0]);
            lastNow[0] = engine.nowNs();
            trace.append(cpu.id()).append('@').append(engine.nowNs()).append('/').append(cpu.nowNs()).append('\n');
            if (rnd.nextInt(4) == 0) {
                lock.lock(cpu);
                cpu.spend(all[rnd.nextInt(all.length)], rnd.nextInt(3));
                lock.unlock(cpu);
            }
            cpu.spend(all[rnd.nextInt(all.length)], rnd.nextInt(4));
            if (rnd.nextInt(8) == 0) {
                timer.schedule(cpu, rnd.nextLong(50_000));
            }
            long done = device.reserve(cpu.nowNs(), rnd.nextLong(20_000));
            engine.post(rnd.nextInt(8), done + rnd.nextLong(10_000), step[0]);
        };
        for (int i = 0; i < 8; i++) {
            engine.post(i, rnd.nextLong(1_000), step[0]);
        }
        engine.runUntil(2_000_000);
        trace.append(engine.resourceStats()).append(engine.busyNs());
        for (CostCategory c : CostCategory.values()) {
            trace.append(Map.entry(c, engine.busyNs(c)));
        }
        return trace.toString();
    }
}
