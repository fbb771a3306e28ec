package org.iommulab.iova;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.sim.threads.NativeEngine;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model check of {@code allocIovaFast}/{@code freeIovaFast} with real locks on a tiny
 * domain (pfns 1..15), so that caches, flushes and tree exhaustion all interleave. Each operation
 * returns whether the invariant held: every range handed out lies inside [start, limit] and
 * overlaps no range that is still live. The sequential spec is the class itself, where every
 * operation returns true.
 */
@Param(name = "cpu", gen = IntGen.class, conf = "0:1")
@Param(name = "size", gen = IntGen.class, conf = "1:5")
public class IovaLincheckTest {

    private static final long START_PFN = 1;
    private static final long LIMIT_PFN = 15;

    /** Shared by every scenario: building an engine per instance dominated the run time. */
    private static final NativeEngine ENGINE = new NativeEngine(2);
    private final IovaDomain domain = new IovaDomain(ENGINE, 4096, START_PFN);
    private final LiveRanges live = new LiveRanges();

    public IovaLincheckTest() {
        domain.initRcaches();
    }

    @Operation
    public boolean alloc(@Param(name = "cpu") int cpu, @Param(name = "size") int size) {
        long pfn = domain.allocIovaFast(ENGINE.cpu(cpu), size, LIMIT_PFN, true);
        return pfn == 0 || live.claim(pfn, size);
    }

    @Operation
    public boolean free(@Param(name = "cpu") int cpu) {
        long[] range = live.release();
        if (range != null) {
            domain.freeIovaFast(ENGINE.cpu(cpu), range[0], range[1]);
        }
        return true;
    }

    @Test
    public void modelCheck() {
        new ModelCheckingOptions()
                .iterations(3)
                .invocationsPerIteration(20)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(1)
                .check(getClass());
    }

    /** The allocations handed out and not yet given back; a range leaves before it is freed. */
    private static final class LiveRanges {
        private final List<long[]> ranges = new ArrayList<>();

        /** Records [pfn, pfn + len) for {@code size}; false if it is out of bounds or overlaps. */
        synchronized boolean claim(long pfn, long size) {
            long len = size < 32 ? 1L << IovaDomain.orderBase2(size) : size;
            long hi = pfn + len - 1;
            if (pfn < START_PFN || hi > LIMIT_PFN) {
                return false;
            }
            for (long[] r : ranges) {
                if (pfn <= r[2] && hi >= r[0]) {
                    return false;
                }
            }
            ranges.add(new long[] {pfn, size, hi});
            return true;
        }

        /** Removes the newest live range and returns {pfn, size}, or null when none is live. */
        synchronized long[] release() {
            return ranges.isEmpty() ? null : ranges.remove(ranges.size() - 1);
        }
    }
}
