package org.iommulab.sim.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event queue against a sorted map on (time, sequence): random adds (in and out of time order),
 * removes and pops agree.
 */
class VirtualEventQueueTest {

    private record Key(long time, long seq) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void popsInTimeThenSequenceOrder(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        VirtualEventQueue q = new VirtualEventQueue();
        TreeMap<Key, Integer> model = new TreeMap<>();
        List<Key> queued = new ArrayList<>();
        long seq = 0;
        for (int step = 0; step < 20_000; step++) {
            // Phases that grow the queue to hundreds of events, then drain it.
            int adds = step % 4000 < 2000 ? 7 : 3;
            int op = rnd.nextInt(10);
            if (op < adds || model.isEmpty()) {
                Key k = new Key(rnd.nextLong(0, 50), seq++);
                int slot = q.add(k.time(), k.seq(), k);
                model.put(k, slot);
                queued.add(k);
            } else if (op < adds + 2) {
                Key k = queued.remove(rnd.nextInt(queued.size()));
                q.remove(model.remove(k));
            } else {
                Key first = model.firstKey();
                assertThat(q.firstTime()).isEqualTo(first.time());
                assertThat(q.firstSeq()).isEqualTo(first.seq());
                int slot = q.firstSlot();
                assertThat(q.action(slot)).isEqualTo(first);
                q.remove(slot);
                model.remove(first);
                queued.remove(first);
            }
            assertThat(q.isEmpty()).isEqualTo(model.isEmpty());
        }
    }
}
