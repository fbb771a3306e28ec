package org.iommulab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntervalTest {

    @Test
    void threeValuesUseStudentsTWithTwoDegreesOfFreedom() {
        Interval i = Interval.of(1, 2, 3);
        assertThat(i.mean()).isEqualTo(2);
        assertThat(i.stdDev()).isEqualTo(1);
        // t(0.975, 2) = 4.3027 from any t table; half-width = t * s / sqrt(n)
        assertThat(i.halfWidth()).isCloseTo(4.302653 / Math.sqrt(3), within(1e-5));
        assertThat(i.ci95Low()).isCloseTo(2 - i.halfWidth(), within(1e-12));
        assertThat(i.min()).isEqualTo(1);
        assertThat(i.max()).isEqualTo(3);
    }

    @Test
    void manyValuesApproachTheNormalQuantile() {
        double[] v = new double[10_000];
        for (int k = 0; k < v.length; k++) {
            v[k] = k % 2;
        }
        Interval i = Interval.of(v);
        assertThat(i.halfWidth() / (i.stdDev() / Math.sqrt(v.length))).isCloseTo(1.96, within(0.001));
    }

    @Test
    void oneValueHasNoSpreadAndNoValueIsRefused() {
        assertThat(Interval.of(5)).isEqualTo(new Interval(1, 5, 5, 5, 0, 5, 5));
        assertThatThrownBy(Interval::of).isInstanceOf(IllegalArgumentException.class);
    }
}
