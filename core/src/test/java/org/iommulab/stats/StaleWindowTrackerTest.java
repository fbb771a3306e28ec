package org.iommulab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @Test
    void unmappingAPendingPageAgainIsAModelBug() {
        StaleWindowTracker t = new StaleWindowTracker();
        t.unmapped(0, 100, 8);
        assertThatThrownBy(() -> t.unmapped(5, 107, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pfn 107");
        assertThatThrownBy(() -> t.unmapped(5, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangesAcrossChunksAndFarApartAreClosedExactly() {
        StaleWindowTracker t = new StaleWindowTracker();
        t.unmapped(0, 1_000, 100); // crosses the chunk boundary at 1024
        t.unmapped(10, 1L << 40, 3); // far away: a sparse chunk
        t.invalidated(50, 1_020, 10); // 1020..1029
        assertThat(t.pendingPages()).isEqualTo(93);
        assertThat(t.windowsNs().getTotalCount()).isEqualTo(10);

        t.invalidated(60, 5, Long.MAX_VALUE); // one huge range, every chunk
        assertThat(t.pendingPages()).isZero();
        assertThat(t.windowsNs().getCountAtValue(60)).isEqualTo(90);
        assertThat(t.windowsNs().getCountAtValue(50)).isEqualTo(13);
        assertThat(t.peakPendingPages()).isEqualTo(103);
    }

    /** The tracker against a page-by-page reference, on random unmaps and ranged and global flushes. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
    void matchesAPageByPageReference(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StaleWindowTracker t = new StaleWindowTracker();
        TreeMap<Long, Long> pending = new TreeMap<>();
        Histogram expected = new Histogram(3);
        long peak = 0;
        long max = 0;
        long now = 0;
        for (int op = 0; op < 3_000; op++) {
            now += rnd.nextLong(1_000);
            int kind = rnd.nextInt(10);
            long pfn = rnd.nextLong(5_000);
            long pages = 1 + rnd.nextLong(kind < 7 ? 8 : 300);
            if (kind < 7) {
                if (!pending.subMap(pfn, pfn + pages).isEmpty()) {
                    continue;
                }
                t.unmapped(now, pfn, pages);
                for (long p = pfn; p < pfn + pages; p++) {
                    pending.put(p, now);
                }
                peak = Math.max(peak, pending.size());
            } else {
                boolean all = kind == 9;
                Iterator<Map.Entry<Long, Long>> it = (all ? pending : pending.subMap(pfn, pfn + pages))
                        .entrySet().iterator();
                while (it.hasNext()) {
                    long window = now - it.next().getValue();
                    expected.recordValue(window);
                    max = Math.max(max, window);
                    it.remove();
                }
                if (all) {
                    t.invalidatedAll(now);
                } else {
                    t.invalidated(now, pfn, pages);
                }
            }
            assertThat(t.pendingPages()).isEqualTo(pending.size());
        }
        assertThat(t.windowsNs()).isEqualTo(expected);
        assertThat(t.maxWindowNs()).isEqualTo(max);
        assertThat(t.peakPendingPages()).isEqualTo(peak);
    }
}
