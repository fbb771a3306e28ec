package org.iommulab.bench;

import java.util.concurrent.TimeUnit;
import org.iommulab.s390.DmaTable;
import org.iommulab.s390.PciDma;
import org.iommulab.s390.TableMemory;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The s390 translation tables ({@code s390.DmaTable}): one page mapped (walk, PTE built and
 * exchanged) and unmapped again, over {@value #PAGES} pages whose region, segment and page tables
 * already exist, so no table is allocated in the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DmaTableBenchmark {

    static final int PAGES = 4096;
    private static final long DMA_BASE = 1L << 32;

    private NativeEngine engine;
    private Cpu cpu;
    private DmaTable table;
    private int next;

    @Setup
    public void setUp() {
        engine = new NativeEngine(1);
        cpu = engine.cpu(0);
        table = DmaTable.alloc(new TableMemory());
        for (int i = 0; i < PAGES; i++) {
            table.updateCpuTrans(cpu, dma(i), 0, PciDma.ZPCI_PTE_INVALID);
        }
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    private static long dma(int i) {
        return DMA_BASE + (long) i * PciDma.PAGE_SIZE;
    }

    @Benchmark
    public boolean mapUnmap() {
        long addr = dma(next++ & (PAGES - 1));
        boolean mapped = table.updateCpuTrans(cpu, addr, addr << 1, PciDma.ZPCI_PTE_VALID);
        return table.updateCpuTrans(cpu, addr, 0, PciDma.ZPCI_PTE_INVALID) & mapped;
    }
}
