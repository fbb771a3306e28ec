package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RangeFlushCostTest {

    private final RangeFlushCost cost = new RangeFlushCost(100, 10);

    @Test
    void aRangeCostsItsFixedPartAndItsPages() {
        assertThat(cost.ns(0)).isEqualTo(100);
        assertThat(cost.ns(3)).isEqualTo(130);
    }

    @Test
    void aGapIsCoveredOnlyWhenWalkingItCostsLessThanAnotherInvalidation() {
        assertThat(cost.gapCheaperThanRange(9)).isTrue();
        assertThat(cost.gapCheaperThanRange(10)).as("as dear as another invalidation: not merged").isFalse();
    }

    @Test
    void negativeCostsAreRefused() {
        assertThatThrownBy(() -> new RangeFlushCost(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RangeFlushCost(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
