package org.iommulab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.virtual.VirtualResourceStats;
import org.junit.jupiter.api.Test;

class LimitedByTest {

    private static final long RUN_NS = 1_000_000;

    private static CpuTime cpus(int n, long perCpuNs, CostCategory where) {
        Map<CostCategory, Long> by = new EnumMap<>(CostCategory.class);
        for (CostCategory c : CostCategory.values()) {
            by.put(c, 0L);
        }
        by.put(where, n * perCpuNs);
        return new CpuTime(n, n * perCpuNs, perCpuNs, by);
    }

    private static VirtualResourceStats resource(String name, long busyNs) {
        return new VirtualResourceStats(name, 100, 60, 5_000, busyNs);
    }

    @Test
    void aSaturatedResourceIsNamedBeforeTheCpusThatSpinOnIt() {
        LimitedBy l = LimitedBy.of(List.of(resource("iova_rbtree_lock", 100_000), resource("zvm-global-lock", 970_000)),
                cpus(4, RUN_NS, CostCategory.LOCK_WAIT), RUN_NS);
        assertThat(l.resource()).isEqualTo("zvm-global-lock");
        assertThat(l.busyFraction()).isEqualTo(0.97);
        assertThat(l.detail()).contains("97%").contains("60 of 100 uses waited");
    }

    @Test
    void busyCpusWithNoSaturatedResourceAreTheLimit() {
        LimitedBy l = LimitedBy.of(List.of(resource("nvme0.controller", 500_000)),
                cpus(2, 900_000, CostCategory.DRIVER), RUN_NS);
        assertThat(l.resource()).isEqualTo(LimitedBy.CPU);
        assertThat(l.busyFraction()).isEqualTo(0.9);
        assertThat(l.detail()).contains("driver");
    }

    @Test
    void nothingSaturatedLeavesLatency() {
        LimitedBy l = LimitedBy.of(List.of(resource("nvme0.controller", 300_000)),
                cpus(2, 200_000, CostCategory.DRIVER), RUN_NS);
        assertThat(l.resource()).isEqualTo(LimitedBy.LATENCY);
        assertThat(l.busyFraction()).isEqualTo(0.3);
        assertThat(l.detail()).contains("nvme0.controller 30%");
    }

    @Test
    void aRunWithoutTimeIsLatencyBoundAtZero() {
        assertThat(LimitedBy.of(List.of(), cpus(1, 0, CostCategory.DRIVER), 0).busyFraction()).isZero();
    }
}
