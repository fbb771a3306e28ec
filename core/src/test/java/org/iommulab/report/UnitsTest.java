package org.iommulab.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void countsSwitchUnitWhereTheSmallerOneWouldRoundUpToTheNext() {
        assertThat(Units.count(9_999)).isEqualTo("9999");
        assertThat(Units.count(299_464.8)).isEqualTo("299.5k");
        assertThat(Units.count(999_940)).isEqualTo("999.9k");
        assertThat(Units.count(999_960)).isEqualTo("1.00M");
        assertThat(Units.count(1_234_567)).isEqualTo("1.23M");
    }

    @Test
    void sizesReachTebibytes() {
        assertThat(Units.bytes(4096)).isEqualTo("4.0 KiB");
        assertThat(Units.bytes(3L << 40)).isEqualTo("3.00 TiB");
    }
}
