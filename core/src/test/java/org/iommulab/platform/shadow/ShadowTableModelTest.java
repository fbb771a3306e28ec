package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shadow against a sorted map of page to entry: random puts, removes, lookups and scans agree. */
class ShadowTableModelTest {

    private static final long PAGE = 4096;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void agreesWithASortedMap(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ShadowTable shadow = new ShadowTable();
        TreeMap<Long, Long> model = new TreeMap<>();
        // Pages clustered in a few segments and regions, so segments fill, empty and come back.
        long[] bases = {0, 0x7ff0_0000L, 0x8000_0000L, 0x3_0000_0000L, 0x3ff_ffe0_0000L};
        for (int step = 0; step < 20_000; step++) {
            long page = bases[rnd.nextInt(bases.length)] + rnd.nextLong(0, 1024) * PAGE;
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    long entry = (rnd.nextLong(1, 1L << 40) << 12) | 1;
                    Long old = model.put(page, entry);
                    assertThat(shadow.put(page + rnd.nextLong(PAGE), entry)).isEqualTo(old == null ? ShadowTable.ABSENT : old);
                }
                case 1 -> {
                    Long old = model.remove(page);
                    assertThat(shadow.remove(page)).isEqualTo(old == null ? ShadowTable.ABSENT : old);
                }
                case 2 -> {
                    Long e = model.get(page);
                    assertThat(shadow.lookup(page + rnd.nextLong(PAGE))).isEqualTo(e == null ? ShadowTable.ABSENT : e);
                }
                default -> {
                    long from = page + rnd.nextLong(PAGE);
                    long end = from + rnd.nextLong(1, 1L << 33);
                    Long next = model.ceilingKey(page);
                    long want = next != null && next < end ? next : -1;
                    assertThat(shadow.nextShadowed(from, end)).isEqualTo(want);
                }
            }
            assertThat(shadow.size()).isEqualTo(model.size());
        }
        assertThat(shadow.clear()).isEqualTo(model.size());
        assertThat(shadow.nextShadowed(0, -1L)).isEqualTo(-1);
    }
}
