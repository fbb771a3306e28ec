package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class FlushQueueTest {

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final List<Long> freed = new ArrayList<>();
    private final DeferredFlushContext.IovaFreer freer = (c, pfn, pages) -> freed.add(pfn);

    @Test
    void aRingOfFourHoldsThreeAndWrapsAround() {
        FlushQueue fq = new FlushQueue(engine.newSpinLock("fq"), 4);
        fq.lock(cpu);
        for (long pfn = 1; pfn <= 3; pfn++) {
            assertThat(fq.isFull()).isFalse();
            fq.ringAdd(cpu, pfn, 1, 0);
        }
        assertThat(fq.isFull()).isTrue();
        assertThat(fq.occupancy()).isEqualTo(3);
        assertThat(fq.ringFreeLocked(cpu, 1, freer)).isEqualTo(3);
        assertThat(freed).containsExactly(1L, 2L, 3L);
        // head and tail now sit at slot 3; the next three entries wrap through slots 3, 0, 1
        for (long pfn = 4; pfn <= 6; pfn++) {
            fq.ringAdd(cpu, pfn, 1, 1);
        }
        assertThat(fq.isFull()).isTrue();
        assertThat(fq.ringFreeLocked(cpu, 2, freer)).isEqualTo(3);
        assertThat(freed).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(fq.occupancy()).isZero();
        assertThat(fq.peakOccupancy()).isEqualTo(3);
        fq.unlock(cpu);
        assertThat(engine.spent(Cost.FQ_ENTRY)).isEqualTo(12);
        assertThat(engine.spent(Cost.SPIN_LOCK)).isEqualTo(1);
    }

    @Test
    void freeingStopsAtTheFirstEntryNotYetFlushed() {
        FlushQueue fq = new FlushQueue(engine.newSpinLock("fq"), 8);
        fq.lock(cpu);
        fq.ringAdd(cpu, 10, 1, 0);
        fq.ringAdd(cpu, 11, 1, 1);
        fq.ringAdd(cpu, 12, 1, 0); // never happens in order, but shows the walk stops at 11
        assertThat(fq.ringFreeLocked(cpu, 1, freer)).isEqualTo(1);
        assertThat(freed).containsExactly(10L);
        assertThat(fq.ringFreeLocked(cpu, 1, freer)).isZero();
        assertThat(fq.ringFreeLocked(cpu, 2, freer)).isEqualTo(2);
        fq.unlock(cpu);
    }

    @Test
    void sizesMustBePowersOfTwo() {
        assertThatThrownBy(() -> new FlushQueue(engine.newSpinLock("fq"), 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100");
    }
}
