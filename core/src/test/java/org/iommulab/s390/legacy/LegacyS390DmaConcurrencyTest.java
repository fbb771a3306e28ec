package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.platform.lpar.LparFirmware;
import org.iommulab.s390.PciDma;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real threads map and unmap through one function's ops on a small aperture, so they race on the
 * allocator's lock and its wraps: no two live mappings ever share an IOVA (each thread finds its
 * own frames still in the tables when it unmaps), and the counters add up afterwards.
 */
class LegacyS390DmaConcurrencyTest {

    private static final int THREADS = 4;
    private static final int OPS = 4000;
    private static final long PAGE = PciDma.PAGE_SIZE;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void concurrentMappingsNeverShareAnIova(boolean strict) throws Exception {
        Device dev = new Device("stress");
        LparFirmware lpar = new LparFirmware();
        ZpciFunction fn = lpar.functionBuilder(dev).build();
        LegacyDmaOptions options = new LegacyDmaOptions(strict, 256 * PAGE, 1);
        try (NativeEngine engine = new NativeEngine(THREADS)) {
            LegacyS390Dma ops = new LegacyS390Dma(engine, fn, new TableMemory(), options);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Long>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Cpu cpu = engine.cpu(t);
                    results.add(pool.submit(() -> mapAndUnmap(ops, dev, cpu)));
                }
                long mapped = 0;
                for (Future<Long> f : results) {
                    mapped += f.get();
                }
                assertThat(fn.iommuCtrs().mappedPages()).isEqualTo(mapped);
                assertThat(fn.iommuCtrs().unmappedPages()).isEqualTo(mapped);
                assertThat(ops.allocator().used()).isEqualTo(ops.allocator().lazy());
                assertThat(ops.wraps()).isPositive();
                assertThat(fn.iommuCtrs().globalRpcits()).isEqualTo(strict ? 0 : ops.wraps());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Maps two areas at a time with frames unique to this CPU, checks them, unmaps; pages mapped. */
    private static long mapAndUnmap(LegacyS390Dma ops, Device dev, Cpu cpu) {
        long frameBase = (cpu.id() + 1L) << 32;
        long mapped = 0;
        long[] handles = new long[2];
        long[] phys = new long[2];
        long[] sizes = new long[2];
        for (int op = 0; op < OPS; op++) {
            int slot = op % 2;
            if (handles[slot] != 0) {
                checkOwn(ops, handles[slot], phys[slot], sizes[slot]);
                ops.unmapPage(cpu, dev, handles[slot], sizes[slot], DmaDirection.BIDIRECTIONAL, 0);
                handles[slot] = 0;
            }
            sizes[slot] = (1 + op % 7) * PAGE;
            phys[slot] = frameBase + (long) op * 8 * PAGE;
            long h = ops.mapPage(cpu, dev, phys[slot], sizes[slot], DmaDirection.BIDIRECTIONAL, 0);
            if (h != LegacyS390Dma.DMA_MAPPING_ERROR) {
                handles[slot] = h;
                mapped += sizes[slot] / PAGE;
            }
        }
        for (int slot = 0; slot < 2; slot++) {
            if (handles[slot] != 0) {
                checkOwn(ops, handles[slot], phys[slot], sizes[slot]);
                ops.unmapPage(cpu, dev, handles[slot], sizes[slot], DmaDirection.BIDIRECTIONAL, 0);
            }
        }
        return mapped;
    }

    private static void checkOwn(LegacyS390Dma ops, long handle, long phys, long size) {
        for (long off = 0; off < size; off += PAGE) {
            long pte = ops.dmaTable().translate(handle + off);
            if (!PciDma.ptEntryIsValid(pte) || PciDma.ptePfaa(pte) != phys + off) {
                throw new AssertionError(String.format("IOVA 0x%x: expected frame 0x%x, table has 0x%x",
                        handle + off, phys + off, pte));
            }
        }
    }
}
