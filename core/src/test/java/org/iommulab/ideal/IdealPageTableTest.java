package org.iommulab.ideal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdealPageTableTest {

    /** One leaf; a 48-bit aperture of 4 KiB granules; one bit more (a fourth directory); every 64-bit number. */
    @ParameterizedTest(name = "max gfn {0}")
    @ValueSource(longs = {511, (1L << 36) - 1, 1L << 36, -1})
    void entriesAtBothEndsOfTheRangeAndInBetweenStayApart(long maxGfn) {
        IdealPageTable table = new IdealPageTable(maxGfn, PteLayout.PACKED);
        long[] gfns = {0, 1, 511, 512, maxGfn >>> 1, maxGfn - 1, maxGfn};
        for (long gfn : gfns) {
            table.set(gfn, gfn * 4096 & Long.MAX_VALUE);
        }
        for (long gfn : gfns) {
            assertThat(table.get(gfn)).as("gfn %x", gfn).isEqualTo(gfn * 4096 & Long.MAX_VALUE);
        }
        assertThat(table.size()).isEqualTo(Arrays.stream(gfns).distinct().count());
        assertThat(table.clear(512)).isTrue();
        assertThat(table.clear(512)).isFalse();
        assertThat(table.get(512)).isEqualTo(-1);
        assertThat(table.get(1)).isEqualTo(4096);
    }

    @ParameterizedTest
    @EnumSource(PteLayout.class)
    void anUnmappedGranuleReadsAsMissingAndPhysicalZeroIsAMapping(PteLayout layout) {
        IdealPageTable table = new IdealPageTable((1L << 36) - 1, layout);
        assertThat(table.get(77)).isEqualTo(-1);
        assertThat(table.clear(77)).isFalse();
        table.set(77, 0);
        assertThat(table.get(77)).isZero();
        for (int gfn = 0; gfn < 512; gfn++) {
            table.set(1024 + gfn, gfn);
        }
        assertThat(table.get(1024 + 511)).isEqualTo(511);
        assertThat(table.size()).isEqualTo(513);
        table.clearAll();
        assertThat(table.size()).isZero();
        assertThat(table.get(77)).isEqualTo(-1);
    }

    /** Two CPUs filling granules of the same empty leaves at once: every entry lands in the one table kept. */
    @ParameterizedTest
    @EnumSource(PteLayout.class)
    void cpusRacingToInstallTheSameTablesKeepEveryEntry(PteLayout layout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                IdealPageTable table = new IdealPageTable((1L << 36) - 1, layout);
                CyclicBarrier start = new CyclicBarrier(2);
                long base = (long) round << 20;
                Future<?>[] cpus = new Future<?>[2];
                for (int cpu = 0; cpu < 2; cpu++) {
                    int parity = cpu;
                    cpus[cpu] = pool.submit(() -> {
                        start.await();
                        for (long gfn = parity; gfn < 2048; gfn += 2) {
                            table.set(base + gfn, gfn << 12);
                        }
                        return null;
                    });
                }
                for (Future<?> f : cpus) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertThat(table.size()).as("round %d", round).isEqualTo(2048);
                for (long gfn = 0; gfn < 2048; gfn++) {
                    assertThat(table.get(base + gfn)).isEqualTo(gfn << 12);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
