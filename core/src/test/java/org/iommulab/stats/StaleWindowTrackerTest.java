package org.iommulab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaleWindowTrackerTest {

    @Test
    void rangedInvalidationClosesOnlyTheCoveredPagesAndSplitsTheRest() {
        StaleWindowTracker t = new StaleWindowTracker();
        t.unmapped(100, 10, 4); // pfns 10..13
        t.unmapped(150, 20, 1);
        assertThat(t.pendingPages()).isEqualTo(5);

        t.invalidated(300, 11, 2); // closes 11 and 12 after 200 ns
        assertThat(t.pendingPages()).isEqualTo(3);
        assertThat(t.windowsNs().getTotalCount()).isEqualTo(2);
        assertThat(t.windowsNs().getMaxValue()).isBetween(199L, 201L);

        t.invalidatedAll(1150); // 10 and 13 after 1050 ns, 20 after 1000 ns
        assertThat(t.pendingPages()).isZero();
        assertThat(t.peakPendingPages()).isEqualTo(5);
        assertThat(t.windowsNs().getTotalCount()).isEqualTo(5);
        assertThat(t.windowsNs().getMaxValue()).isBetween(1049L, 1051L);
        assertThat(t.maxWindowNs()).isEqualTo(1050);
    }

    @Test
    void invalidatingUntouchedRangesChangesNothing() {
        StaleWindowTracker t = new StaleWindowTracker();
        t.unmapped(0, 100, 8);
        t.invalidated(10, 0, 100);
        t.invalidated(10, 108, 5);
        assertThat(t.pendingPages()).isEqualTo(8);
        assertThat(t.windowsNs().getTotalCount()).isZero();
    }
}
