package org.iommulab.iova;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Red-black and order invariants of {@link IovaRbTree} under random insertion and erasure. */
class IovaRbTreeTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomInsertsAndErasesKeepTheTreeBalancedAndOrdered(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        IovaRbTree tree = new IovaRbTree();
        TreeMap<Long, Iova> model = new TreeMap<>();
        List<Iova> live = new ArrayList<>();
        for (int step = 0; step < 4000; step++) {
            if (live.isEmpty() || rnd.nextInt(100) < 55) {
                long key = rnd.nextLong(1 << 14);
                if (model.containsKey(key)) {
                    continue;
                }
                Iova n = new Iova(key, key);
                insert(tree, n);
                model.put(key, n);
                live.add(n);
            } else {
                Iova n = live.remove(rnd.nextInt(live.size()));
                tree.erase(n);
                model.remove(n.pfnLo);
                assertThat(n.parent).isNull();
            }
            if (step % 97 == 0) {
                checkInvariants(tree, model);
            }
        }
        checkInvariants(tree, model);
    }

    private static void insert(IovaRbTree tree, Iova n) {
        Iova parent = null;
        Iova cur = tree.root();
        boolean left = false;
        while (cur != null) {
            parent = cur;
            left = n.pfnLo < cur.pfnLo;
            cur = left ? cur.left : cur.right;
        }
        tree.link(n, parent, left);
    }

    private static void checkInvariants(IovaRbTree tree, TreeMap<Long, Iova> model) {
        Iova root = tree.root();
        if (root != null) {
            assertThat(root.red).as("root is black").isFalse();
            assertThat(root.parent).isNull();
        }
        blackHeight(root);
        List<Long> forward = new ArrayList<>();
        for (Iova n = tree.first(); n != null; n = IovaRbTree.next(n)) {
            forward.add(n.pfnLo);
        }
        assertThat(forward).containsExactlyElementsOf(model.keySet());
        List<Long> backward = new ArrayList<>();
        for (Iova n = model.isEmpty() ? null : model.lastEntry().getValue(); n != null; n = IovaRbTree.prev(n)) {
            backward.add(0, n.pfnLo);
        }
        assertThat(backward).containsExactlyElementsOf(model.keySet());
    }

    /** Checks parent links, no red-red edge and equal black heights; returns the black height. */
    private static int blackHeight(Iova n) {
        if (n == null) {
            return 1;
        }
        for (Iova c : new Iova[] {n.left, n.right}) {
            if (c != null) {
                assertThat(c.parent).as("parent of %s", c).isSameAs(n);
                assertThat(n.red && c.red).as("red %s under red %s", c, n).isFalse();
            }
        }
        int l = blackHeight(n.left);
        int r = blackHeight(n.right);
        assertThat(l).as("black heights below %s", n).isEqualTo(r);
        return l + (n.red ? 0 : 1);
    }
}
