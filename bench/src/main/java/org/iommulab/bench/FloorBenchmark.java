package org.iommulab.bench;

import java.util.concurrent.TimeUnit;
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

    private final AtomicLongArray pageTable = new AtomicLongArray(SLOTS);
    private final long[] magazine = new long[128];
    private int magazineSize = 64;
    private int next;

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
}
