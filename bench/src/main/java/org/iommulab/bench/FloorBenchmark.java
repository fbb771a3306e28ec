package org.iommulab.bench;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor every map+unmap result is read against: only the work no DMA layer can avoid for one
 * 4 KiB page, one translation-entry write and clear (atomic exchange, as the s390 tables do) and one
 * push and pop of an IOVA on a per-CPU stack (as an rcache hit does).
 *
 * <p>{@link #protocolAtomics} is the floor of the modelled lazy protocol instead: the same stack
 * work with the ordered instructions dma-iommu's per-CPU path executes for one pair, and nothing
 * else. The rcache lock taken for the allocation and again for the free after the flush, the flush
 * queue's lock (each a compare-and-set and a release store), the entry installed with a release
 * store and cleared with an exchange, and {@code queue_iova}'s full barrier: five full-barrier
 * instructions where the floor has two.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBenchmark {

    private static final int SLOTS = 512;
    private static final long PTE_INVALID = 0x400;
    /** Ints between two lock words: 128 bytes, so no two share a line or an adjacent-line pair. */
    private static final int LOCK_STRIDE = 32;

    private final AtomicLongArray pageTable = new AtomicLongArray(SLOTS);
    private final long[] magazine = new long[128];
    private int magazineSize = 64;
    private int next;
    private final AtomicIntegerArray locks = new AtomicIntegerArray(3 * LOCK_STRIDE);

    /** One table-entry write and clear plus one array push and pop. */
    @Benchmark
    public long mapUnmapFloor() {
        int slot = next++ & (SLOTS - 1);
        long pfn = magazine[--magazineSize & 127];
        pageTable.getAndSet(slot, pfn << 12);
        long old = pageTable.getAndSet(slot, PTE_INVALID);
        magazine[magazineSize++ & 127] = pfn;
        return old;
    }

    /** The floor's work with the modelled protocol's ordered instructions for one pair. */
    @Benchmark
    public long protocolAtomics() {
        int slot = next++ & (SLOTS - 1);
        lock(0); // the rcache, alloc_iova_fast
        long pfn = magazine[--magazineSize & 127];
        unlock(0);
        pageTable.lazySet(slot, pfn << 12); // the entry installed, a release store
        long old = pageTable.getAndSet(slot, PTE_INVALID); // and cleared
        VarHandle.fullFence(); // queue_iova's smp_mb()
        lock(1); // the flush queue
        unlock(1);
        lock(2); // the rcache again, freeing after the flush
        magazine[magazineSize++ & 127] = pfn;
        unlock(2);
        return old;
    }

    private void lock(int i) {
        if (!locks.compareAndSet(i * LOCK_STRIDE, 0, 1)) {
            throw new IllegalStateException("lock " + i + " held: one thread runs this benchmark");
        }
    }

    private void unlock(int i) {
        locks.setRelease(i * LOCK_STRIDE, 0);
    }
}
