package org.iommulab.iova;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.iommulab.testing.Concurrently;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several threads, each playing its own CPU, allocate and free at random through both the fast
 * (rcache) and the plain tree API, with random sizes and limits on a domain small enough to run
 * out, so flushes, depot pushes and loads, and (native, 100 ms) depot trims race each other.
 * Every granule handed out is claimed in a shared ownership array: a claim that finds the granule
 * taken, or a range outside [startPfn, limit], is an overlap or bounds bug.
 */
class IovaConcurrencyStressTest {

    private static final int THREADS = 4;
    private static final int OPS_PER_THREAD = 20_000;
    private static final long START_PFN = 16;
    private static final long[] LIMITS = {4095, 16383, 65535};

    private record Live(long pfn, long size, long len, Iova node) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void liveRangesNeverOverlapAndStayInsideTheirLimits(long seed) throws Exception {
        try (NativeEngine engine = new NativeEngine(THREADS)) {
            IovaDomain d = new IovaDomain(engine, 4096, START_PFN);
            d.initRcaches();
            AtomicIntegerArray owner = new AtomicIntegerArray((int) LIMITS[LIMITS.length - 1] + 1);
            AtomicReference<String> error = new AtomicReference<>();
            long[] liveAtEnd = new long[THREADS];
            Concurrently.run(THREADS, id ->
                    liveAtEnd[id] = run(d, engine.cpu(id), new SplittableRandom(seed * 1_000_003 + id), owner, error));
            assertThat(error.get()).isNull();
            long live = 0;
            for (long n : liveAtEnd) {
                live += n;
            }
            assertThat(d.nodeCount()).as("every tree node is live or cached").isEqualTo(live + d.cachedPfnCount());
        }
    }

    /** One CPU's random walk; returns how many of its allocations are still live at the end. */
    private static long run(IovaDomain d, Cpu cpu, SplittableRandom rnd, AtomicIntegerArray owner,
            AtomicReference<String> error) {
        int me = cpu.id() + 1;
        List<Live> live = new ArrayList<>();
        for (int op = 0; op < OPS_PER_THREAD && error.get() == null; op++) {
            if (live.isEmpty() || rnd.nextInt(100) < 55) {
                long size = rnd.nextInt(10) == 0 ? 33 + rnd.nextInt(64) : 1 + rnd.nextInt(32);
                long limit = LIMITS[rnd.nextInt(LIMITS.length)];
                Live a;
                if (rnd.nextInt(5) > 0) {
                    long pfn = d.allocIovaFast(cpu, size, limit, rnd.nextBoolean());
                    a = pfn == 0 ? null : new Live(pfn, size, size < 32 ? 1L << IovaDomain.orderBase2(size) : size, null);
                } else {
                    Iova node = d.allocIova(cpu, size, limit, rnd.nextBoolean());
                    a = node == null ? null : new Live(node.pfnLo(), size, node.size(), node);
                }
                if (a == null) {
                    continue;
                }
                if (a.pfn < START_PFN || a.pfn + a.len - 1 > limit) {
                    error.compareAndSet(null, cpu + ": " + a + " outside [" + START_PFN + ", " + limit + "]");
                    break;
                }
                for (long p = a.pfn; p < a.pfn + a.len; p++) {
                    int was = owner.compareAndExchange((int) p, 0, me);
                    if (was != 0) {
                        error.compareAndSet(null, cpu + ": " + a + " overlaps a range of cpu" + (was - 1) + " at " + p);
                    }
                }
                live.add(a);
            } else {
                Live a = live.remove(rnd.nextInt(live.size()));
                for (long p = a.pfn; p < a.pfn + a.len; p++) {
                    owner.set((int) p, 0);
                }
                if (a.node == null) {
                    d.freeIovaFast(cpu, a.pfn, a.size);
                } else {
                    d.freeIovaNode(cpu, a.node);
                }
            }
        }
        return live.size();
    }
}
