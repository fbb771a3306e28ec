package org.iommulab.sim.manual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.SpinLock;
import org.junit.jupiter.api.Test;

class ManualEngineTest {

    @Test
    void timersFireInExpiryOrderOnTheArmingCpuAtTheirTime() {
        ManualEngine engine = new ManualEngine(2);
        List<String> fired = new ArrayList<>();
        KTimer late = engine.newTimer("late", cpu -> fired.add("late@" + engine.nowNs() + "/" + cpu.id()));
        KTimer early = engine.newTimer("early", cpu -> fired.add("early@" + engine.nowNs() + "/" + cpu.id()));
        late.mod(engine.cpu(1), 300);
        early.mod(engine.cpu(0), 100);

        engine.advanceBy(200);
        assertThat(fired).containsExactly("early@100/0");
        assertThat(late.pending()).isTrue();
        engine.advanceBy(200);
        assertThat(fired).containsExactly("early@100/0", "late@300/1");
        assertThat(engine.nowNs()).isEqualTo(400);
        assertThat(late.pending()).isFalse();
    }

    @Test
    void scheduleDoesNotRearmAPendingTimerButModDoes() {
        ManualEngine engine = new ManualEngine(1);
        int[] runs = new int[1];
        KTimer t = engine.newTimer("t", cpu -> runs[0]++);
        assertThat(t.schedule(engine.cpu(0), 100)).isTrue();
        assertThat(t.schedule(engine.cpu(0), 10)).isFalse();
        engine.advanceBy(50);
        t.mod(engine.cpu(0), 100); // now expires at 150
        engine.advanceBy(99);
        assertThat(runs[0]).isZero();
        engine.advanceBy(1);
        assertThat(runs[0]).isEqualTo(1);
        t.mod(engine.cpu(0), 10);
        t.cancel();
        engine.advanceBy(100);
        assertThat(runs[0]).isEqualTo(1);
    }

    @Test
    void spentCostsAreCountedAndRecursiveLockingIsCaught() {
        ManualEngine engine = new ManualEngine(2);
        engine.cpu(1).spend(Cost.PTE_WRITE, 3);
        engine.cpu(0).spend(Cost.PTE_WRITE);
        assertThat(engine.spent(Cost.PTE_WRITE)).isEqualTo(4);

        SpinLock lock = engine.newSpinLock("l");
        lock.lock(engine.cpu(0));
        assertThatThrownBy(() -> lock.lock(engine.cpu(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> lock.unlock(engine.cpu(1))).isInstanceOf(IllegalStateException.class);
        lock.unlock(engine.cpu(0));
    }

    @Test
    void costOverridesByKeyAndBadKeysAreNamed() {
        CostModel m = CostModel.defaults().with(java.util.Map.of("pt.pteWriteNs", 7L));
        assertThat(m.ns(Cost.PTE_WRITE)).isEqualTo(7);
        assertThat(m.ns(Cost.RPCIT_LPAR)).isEqualTo(Cost.RPCIT_LPAR.defaultNs());
        assertThatThrownBy(() -> CostModel.defaults().with(java.util.Map.of("nope", 1L)))
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> CostModel.defaults().with(java.util.Map.of("pt.pteWriteNs", -1L)))
                .hasMessageContaining("-1");
    }
}
