package org.iommulab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class PerCpuCountsTest {

    private final ManualEngine engine = new ManualEngine(3);

    @Test
    void eachCpuAddsToItsOwnSlotAndAReadSumsThemAll() {
        PerCpuCounts c = new PerCpuCounts(3, 16);
        c.add(engine.cpu(0), 15, 2);
        c.add(engine.cpu(2), 15, 5);
        c.add(engine.cpu(1), 0, 7);
        assertThat(c.sum(15)).isEqualTo(7);
        assertThat(c.sum(0)).isEqualTo(7);
        assertThat(c.sum(3)).isZero();
    }

    @Test
    void aWidthFrom1To16IsTaken() {
        assertThat(new PerCpuCounts(1, 1).sum(0)).isZero();
        assertThatThrownBy(() -> new PerCpuCounts(1, 0)).hasMessage("per-CPU counter width 0; allowed 1..16");
        assertThatThrownBy(() -> new PerCpuCounts(1, 17)).hasMessage("per-CPU counter width 17; allowed 1..16");
    }
}
