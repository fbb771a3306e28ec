package org.iommulab.platform.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The primitive IOTLB behaves as an access-ordered LRU map of the same capacity, step for step. */
class IotlbModelTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 128})
    void matchesAnAccessOrderedLinkedHashMap(int capacity) {
        Iotlb iotlb = new Iotlb(capacity);
        LinkedHashMap<Long, Long> model = new LinkedHashMap<>(16, 0.75f, true);
        SplittableRandom rnd = new SplittableRandom(capacity);
        long evictions = 0;
        for (int step = 0; step < 20_000; step++) {
            long pfn = rnd.nextLong(3L * capacity + 3);
            switch (rnd.nextInt(10)) {
                case 0, 1, 2, 3 -> {
                    Long expected = model.get(pfn);
                    assertThat(iotlb.lookup(pfn)).isEqualTo(expected == null ? 0 : expected);
                }
                case 4, 5, 6 -> {
                    long t = rnd.nextLong(1, 1L << 40) << 12 | 1;
                    iotlb.fill(pfn, t, iotlb.invalidations());
                    model.put(pfn, t);
                    if (model.size() > capacity) {
                        Iterator<Long> eldest = model.keySet().iterator();
                        eldest.next();
                        eldest.remove();
                        evictions++;
                    }
                }
                case 7, 8 -> {
                    long pages = rnd.nextLong(1, 2L * capacity + 2);
                    iotlb.invalidate(pfn, pages);
                    model.keySet().removeIf(p -> p - pfn >= 0 && p - pfn < pages);
                }
                default -> {
                    if (rnd.nextInt(20) == 0) {
                        iotlb.invalidateAll();
                        model.clear();
                    } else {
                        long before = iotlb.invalidations();
                        iotlb.invalidate(pfn, 1);
                        model.remove(pfn);
                        iotlb.fill(pfn, 0x1001, before); // raced with the invalidation: dropped
                    }
                }
            }
            assertThat(iotlb.size()).isEqualTo(model.size());
        }
        assertThat(new ArrayList<>(iotlb.snapshot().entrySet())).as("the same entries, least recently used first")
                .isEqualTo(new ArrayList<>(model.entrySet()));
        assertThat(iotlb.evictions()).isEqualTo(evictions);
    }
}
