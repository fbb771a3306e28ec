package org.iommulab.sim.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BusyCalendarTest {

    @Test
    void aTimeInsideAHoldIsFreeAtItsEndAndOneBetweenHoldsAtOnce() {
        BusyCalendar c = new BusyCalendar();
        c.add(100, 200);
        c.add(500, 600);

        assertThat(c.firstFreeAt(50)).isEqualTo(50);
        assertThat(c.firstFreeAt(150)).isEqualTo(200);
        assertThat(c.firstFreeAt(300)).isEqualTo(300);
        assertThat(c.firstFreeAt(599)).isEqualTo(600);
        assertThat(c.firstFreeAt(700)).isEqualTo(700);
    }

    @Test
    void touchingAndOverlappingHoldsMergeAndPrunedOnesAreForgotten() {
        BusyCalendar c = new BusyCalendar();
        c.add(100, 200);
        c.add(300, 400);
        c.add(200, 300);
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.firstFreeAt(100)).isEqualTo(400);
        c.add(350, 450);
        c.add(600, 700);
        c.prune(450);
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.firstFreeAt(0)).isZero();
        assertThat(c.firstFreeAt(650)).isEqualTo(700);
    }

    @Test
    void agreesWithABruteForceSetOfBusyNanoseconds() {
        SplittableRandom rnd = new SplittableRandom(3);
        BusyCalendar c = new BusyCalendar();
        TreeSet<Long> busy = new TreeSet<>();
        for (int i = 0; i < 2000; i++) {
            long s = rnd.nextLong(5000);
            long e = s + rnd.nextLong(1, 40);
            c.add(s, e);
            for (long t = s; t < e; t++) {
                busy.add(t);
            }
            long q = rnd.nextLong(5100);
            long expected = q;
            while (busy.contains(expected)) {
                expected++;
            }
            assertThat(c.firstFreeAt(q)).as("query %d after %d adds", q, i + 1).isEqualTo(expected);
        }
    }

    /** A peak of holds (one long event's), pruned in steps: the calendar shrinks and still answers right. */
    @Test
    void aPeakOfHoldsPrunedInStepsLeavesTheRestIntact() {
        BusyCalendar c = new BusyCalendar();
        for (long i = 0; i < 40_000; i++) {
            c.add(i * 100, i * 100 + 20);
        }
        assertThat(c.size()).isEqualTo(40_000);
        for (long t = 0; t <= 4_000_000; t += 50_000) {
            c.prune(t);
            long left = Math.max(0, 40_000 - (t + 79) / 100);
            assertThat(c.size()).as("after pruning to %d", t).isEqualTo(left);
            if (left > 0) {
                long next = (40_000 - left) * 100;
                assertThat(c.firstFreeAt(next + 5)).isEqualTo(next + 20);
                assertThat(c.firstFreeAt(next + 50)).isEqualTo(next + 50);
            }
        }
        c.add(10, 30);
        assertThat(c.firstFreeAt(15)).isEqualTo(30);
    }
}
