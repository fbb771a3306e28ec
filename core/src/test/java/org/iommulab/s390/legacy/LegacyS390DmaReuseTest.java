package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iommulab.kernel.DmaOps.DMA_MAPPING_ERROR;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.s390.PciDma;
import org.iommulab.s390.RpcitResult;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized maps and unmaps through the DMA API on a small aperture, with occasional
 * out-of-resources answers: an unmapped IOVA is never handed out again before the flush that ends
 * its reachability (lazy: a global RPCIT issued after its unmap; strict: its own RPCIT), live
 * areas never overlap, and the tables translate exactly the live mappings.
 */
class LegacyS390DmaReuseTest {

    private static final int PAGES = 128;
    private static final long PAGE = PciDma.PAGE_SIZE;
    private static final long SDMA = ZpciFunction.DEFAULT_SDMA;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 32);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void anUnmappedIovaIsNotReusedBeforeTheFlushThatEndsItsWindow(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean strict = seed % 3 == 0;
        boolean tlbRefresh = seed % 2 == 0;
        ManualEngine engine = new ManualEngine(1);
        Cpu cpu = engine.cpu(0);
        ScriptedRpcitHandler rpcit = new ScriptedRpcitHandler();
        StaleWindowTracker tracker = new StaleWindowTracker();
        Device dev = new Device("dev" + seed);
        ZpciFunction fn = ZpciFunction.builder(dev, rpcit).tlbRefresh(tlbRefresh).trace(tracker).build();
        LegacyDmaOptions options = new LegacyDmaOptions(strict, PAGES * PAGE, 1);
        LegacyS390Dma ops = new LegacyS390Dma(engine, fn, new TableMemory(), options);

        boolean[] live = new boolean[PAGES];
        long[] reusableAfterGlobals = new long[PAGES];
        boolean[] leaked = new boolean[PAGES];
        List<long[]> mappings = new ArrayList<>();
        long globals = 0;
        int failures = 0;
        for (int op = 0; op < 2000; op++) {
            engine.advanceBy(1 + rnd.nextInt(1000));
            if (rnd.nextInt(100) < 4 && rpcit.pendingAnswers() == 0) {
                rpcit.answer(RpcitResult.INSUFFICIENT_RESOURCES);
            }
            int callsBefore = rpcit.calls().size();
            long wrapsBefore = ops.wraps();
            if (mappings.isEmpty() || rnd.nextInt(100) < 55) {
                long phys = rnd.nextLong(1L << 30) & ~0xfL;
                long size = 1 + rnd.nextLong(8 * PAGE - (phys & (PAGE - 1)));
                DmaDirection dir = DmaDirection.values()[rnd.nextInt(3)];
                long handle = ops.mapPage(cpu, dev, phys, size, dir, 0);
                List<ScriptedRpcitHandler.Call> calls = rpcit.calls().subList(callsBefore, rpcit.calls().size());
                if (ops.wraps() > wrapsBefore && !strict && calls.get(0).result().isOk()) {
                    globals++;
                }
                if (handle == DMA_MAPPING_ERROR) {
                    failures++;
                } else {
                    long first = (handle - SDMA) / PAGE;
                    long pages = (handle % PAGE + size + PAGE - 1) / PAGE;
                    for (long p = first; p < first + pages; p++) {
                        int i = (int) p;
                        assertThat(live[i]).as("seed %d op %d: page %d handed out twice", seed, op, p).isFalse();
                        assertThat(leaked[i]).as("seed %d op %d: page %d reused after a failed strict RPCIT", seed, op, p)
                                .isFalse();
                        assertThat(globals).as("seed %d op %d: page %d reused before a global RPCIT after its unmap",
                                seed, op, p).isGreaterThanOrEqualTo(reusableAfterGlobals[i]);
                        live[i] = true;
                        long pte = ops.dmaTable().translate(SDMA + p * PAGE);
                        assertThat(PciDma.ptEntryIsValid(pte)).isTrue();
                        assertThat(PciDma.ptePfaa(pte)).isEqualTo((phys & PciDma.PAGE_MASK) + (p - first) * PAGE);
                        assertThat(PciDma.entryIsProtected(pte)).isEqualTo(!dir.deviceWrites());
                    }
                    mappings.add(new long[] {handle, size});
                }
                globals += calls.stream().skip(1).filter(c -> c.result().isOk() && ScriptedRpcitHandler.isGlobal(fn, c)).count();
            } else {
                long[] m = mappings.remove(rnd.nextInt(mappings.size()));
                ops.unmapPage(cpu, dev, m[0], m[1], DmaDirection.BIDIRECTIONAL, 0);
                List<ScriptedRpcitHandler.Call> calls = rpcit.calls().subList(callsBefore, rpcit.calls().size());
                boolean flushed = !calls.isEmpty() && calls.get(0).result().isOk();
                long first = (m[0] - SDMA) / PAGE;
                long pages = (m[0] % PAGE + m[1] + PAGE - 1) / PAGE;
                for (long p = first; p < first + pages; p++) {
                    int i = (int) p;
                    live[i] = false;
                    assertThat(PciDma.ptEntryIsValid(ops.dmaTable().translate(SDMA + p * PAGE))).isFalse();
                    if (strict) {
                        leaked[i] = !flushed;
                    } else {
                        reusableAfterGlobals[i] = globals + 1;
                    }
                }
                assertThat(calls).as("an unmap issues RPCIT only in strict mode").hasSize(strict ? 1 : 0);
            }
            if (!strict) {
                assertThat(tracker.pendingPages()).as("seed %d op %d", seed, op).isEqualTo(ops.allocator().lazy());
            }
        }
        assertThat(ops.wraps()).as("seed %d wraps", seed).isPositive();
        assertThat(fn.iommuCtrs().globalRpcits()).isEqualTo(rpcit.globals(fn));
        long leakedPages = 0;
        long livePages = 0;
        for (int i = 0; i < PAGES; i++) {
            leakedPages += leaked[i] ? 1 : 0;
            livePages += live[i] ? 1 : 0;
        }
        assertThat(fn.iommuCtrs().mappedPages() - fn.iommuCtrs().unmappedPages()).isEqualTo(livePages + leakedPages);
        assertThat(failures).as("seed %d: the aperture ran full at times", seed).isPositive();
    }
}
