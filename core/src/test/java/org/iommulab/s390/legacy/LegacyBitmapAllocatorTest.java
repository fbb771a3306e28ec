package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LegacyBitmapAllocatorTest {

    private static final long NO_BOUNDARY = 1L << 20;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);
    private final ArrayDeque<Integer> refreshResults = new ArrayDeque<>();
    private int refreshes;

    private LegacyBitmapAllocator allocator(long pages, boolean strict) {
        return new LegacyBitmapAllocator(engine.newSpinLock("bitmap"), pages, 0, NO_BOUNDARY, strict,
                c -> {
                    refreshes++;
                    return refreshResults.isEmpty() ? 0 : refreshResults.poll();
                });
    }

    @Test
    void nextFitMovesTheCursorPastEachArea() {
        LegacyBitmapAllocator a = allocator(64, false);
        assertThat(a.dmaAllocAddress(cpu, 4)).isZero();
        assertThat(a.dmaAllocAddress(cpu, 2)).isEqualTo(4);
        a.dmaFreeAddress(cpu, 0, 4);
        assertThat(a.dmaAllocAddress(cpu, 1)).as("next-fit, not first-fit").isEqualTo(6);
        assertThat(a.nextBit()).isEqualTo(7);
        assertThat(a.used()).as("lazily freed pages stay set").isEqualTo(7);
        assertThat(a.lazy()).isEqualTo(4);
    }

    @Test
    void lazyFreedPagesComeBackOnlyAtTheWrapWithOneGlobalRefresh() {
        LegacyBitmapAllocator a = allocator(64, false);
        assertThat(a.dmaAllocAddress(cpu, 32)).isZero();
        assertThat(a.dmaAllocAddress(cpu, 30)).isEqualTo(32);
        a.dmaFreeAddress(cpu, 0, 32);
        assertThat(refreshes).isZero();
        assertThat(a.used()).isEqualTo(62);

        assertThat(a.dmaAllocAddress(cpu, 2)).as("only page 62 is left before the wrap").isZero();
        assertThat(a.wraps()).isEqualTo(1);
        assertThat(refreshes).isEqualTo(1);
        assertThat(a.lazy()).isZero();
        assertThat(a.used()).isEqualTo(32);
        assertThat(a.nextBit()).isEqualTo(2);
    }

    @Test
    void aFailedAllocationLeavesTheCursorAlone() {
        LegacyBitmapAllocator a = allocator(64, false);
        a.dmaAllocAddress(cpu, 40);
        assertThat(a.dmaAllocAddress(cpu, 30)).isEqualTo(LegacyBitmapAllocator.NO_SPACE);
        assertThat(a.nextBit()).isEqualTo(40);
        assertThat(a.wraps()).isEqualTo(1);
        assertThat(refreshes).isEqualTo(1);
    }

    @Test
    void aFailingWrapRefreshFailsTheAllocationAndKeepsTheLazyPages() {
        LegacyBitmapAllocator a = allocator(64, false);
        a.dmaAllocAddress(cpu, 60);
        a.dmaFreeAddress(cpu, 0, 60);
        refreshResults.add(-Errno.EIO);
        assertThat(a.dmaAllocAddress(cpu, 8)).isEqualTo(LegacyBitmapAllocator.NO_SPACE);
        assertThat(a.lazy()).isEqualTo(60);
        assertThat(a.nextBit()).isEqualTo(60);
        assertThat(a.dmaAllocAddress(cpu, 8)).isZero();
        assertThat(refreshes).isEqualTo(2);
    }

    @Test
    void strictFreesAtOnceAndWrapsWithoutRefresh() {
        LegacyBitmapAllocator a = allocator(64, true);
        a.dmaAllocAddress(cpu, 60);
        a.dmaFreeAddress(cpu, 10, 20);
        assertThat(a.used()).isEqualTo(40);
        assertThat(a.lazy()).isZero();
        assertThat(a.dmaAllocAddress(cpu, 5)).isEqualTo(10);
        assertThat(a.wraps()).isEqualTo(1);
        assertThat(refreshes).isZero();
    }

    @Test
    void reclaimLazyReturnsLazyPagesWithoutMovingTheCursor() {
        LegacyBitmapAllocator a = allocator(64, false);
        a.dmaAllocAddress(cpu, 10);
        a.dmaAllocAddress(cpu, 10);
        a.dmaFreeAddress(cpu, 0, 10);
        a.reclaimLazy(cpu);
        assertThat(a.used()).isEqualTo(10);
        assertThat(a.lazy()).isZero();
        assertThat(a.nextBit()).isEqualTo(20);
        assertThat(refreshes).as("the caller issued the refresh").isZero();
    }

    @Test
    void rejectsBadGeometry() {
        assertThatThrownBy(() -> new LegacyBitmapAllocator(engine.newSpinLock("x"), 1, 0, 16, false, c -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 pages");
        assertThatThrownBy(() -> new LegacyBitmapAllocator(engine.newSpinLock("x"), 64, 0, 24, false, c -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 pages");
    }

    /**
     * The lazy scheme's safety property: a page freed lazily is not handed out again until a
     * global refresh that came after its free, and live areas never overlap.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void aFreedPageIsNotReusedBeforeTheNextGlobalRefresh(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int pages = 1024;
        LegacyBitmapAllocator a = allocator(pages, false);
        long[] freedAtRefresh = new long[pages];
        Arrays.fill(freedAtRefresh, -1);
        boolean[] live = new boolean[pages];
        List<long[]> areas = new ArrayList<>();
        for (int op = 0; op < 5000; op++) {
            if (areas.isEmpty() || rnd.nextInt(100) < 55) {
                int size = 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 64);
                long offset = a.dmaAllocAddress(cpu, size);
                if (offset == LegacyBitmapAllocator.NO_SPACE) {
                    continue;
                }
                for (long p = offset; p < offset + size; p++) {
                    assertThat(live[(int) p]).as("seed %d op %d page %d live twice", seed, op, p).isFalse();
                    assertThat(freedAtRefresh[(int) p])
                            .as("seed %d op %d page %d reused without a refresh since its free", seed, op, p)
                            .isLessThan(refreshes);
                    live[(int) p] = true;
                }
                assertThat(offset + size).isLessThanOrEqualTo(pages - 1);
                areas.add(new long[] {offset, size});
            } else {
                long[] area = areas.remove(rnd.nextInt(areas.size()));
                a.dmaFreeAddress(cpu, area[0], (int) area[1]);
                for (long p = area[0]; p < area[0] + area[1]; p++) {
                    live[(int) p] = false;
                    freedAtRefresh[(int) p] = refreshes;
                }
            }
        }
        assertThat(a.wraps()).as("seed %d exercises the wrap", seed).isPositive();
        assertThat(refreshes).isEqualTo((int) a.wraps());
    }
}
