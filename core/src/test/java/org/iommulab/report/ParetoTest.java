package org.iommulab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParetoTest {

    @Test
    void theFrontierOfAHandMadeSet() {
        double[] iops = {100, 200, 150, 200, 50, 300};
        double[] p99 = {1, 5, 5, 4, 0.5, 50};
        // 0 (100, 1) on; 1 (200, 5) dominated by 3 (200, 4); 2 (150, 5) dominated by 3;
        // 3 on; 4 (50, 0.5) on: the shortest window; 5 (300, 50) on: the most IOPS
        assertThat(Pareto.frontier(iops, p99)).containsExactly(true, false, false, true, true, true);
    }

    @Test
    void equalPointsAreAllOnIt() {
        assertThat(Pareto.frontier(new double[] {7, 7}, new double[] {2, 2})).containsExactly(true, true);
    }

    @Test
    void anInfiniteWindowLosesToAnyFiniteOneWithAsManyIops() {
        assertThat(Pareto.frontier(new double[] {5, 5}, new double[] {Double.POSITIVE_INFINITY, 9}))
                .containsExactly(false, true);
    }

    @Test
    void lengthsMustMatch() {
        assertThatThrownBy(() -> Pareto.frontier(new double[1], new double[2])).isInstanceOf(IllegalArgumentException.class);
    }
}
