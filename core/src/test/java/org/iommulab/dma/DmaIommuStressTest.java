package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.iommulab.ideal.IdealDomain;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.DmaIommuOptions.QueueType;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.threads.NativeEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real threads, one per CPU, map and unmap at random through one domain while the real flush
 * timer fires: the driver's safety checker must see no reuse before a covering flush, no overlap
 * and nothing outside the aperture, every mapping must translate to its buffer, and when every
 * thread has unmapped what it mapped the page table must be empty.
 */
class DmaIommuStressTest {

    private static final int CPUS = 4;
    private static final int OPS_PER_CPU = 20_000;

    @ParameterizedTest
    @MethodSource("org.iommulab.dma.FlushMode#all")
    void concurrentMapsAndUnmapsKeepTheInvariants(FlushMode mode) throws Exception {
        IdealIommu.Config config = IdealIommu.Config.defaults()
                .withGeometry(new DomainGeometry(0, (256L << 20) - 1, true))
                .withCheckSafety(true);
        try (NativeEngine engine = new NativeEngine(CPUS)) {
            TestMachine m = mode.machine(engine, config);
            Device dev = new Device("stress");
            IommuDmaOps ops = m.probe(dev);
            IdealDomain pt = m.lastDomain();
            ExecutorService pool = Executors.newFixedThreadPool(CPUS);
            try {
                List<CompletableFuture<Long>> runs = new ArrayList<>();
                for (int c = 0; c < CPUS; c++) {
                    Cpu cpu = engine.cpu(c);
                    runs.add(CompletableFuture.supplyAsync(() -> run(cpu, dev, ops, pt), pool));
                }
                long maps = 0;
                for (CompletableFuture<Long> r : runs) {
                    maps += r.get();
                }
                assertThat(pt.checker().violations()).as("%s", pt.checker().messages()).isZero();
                assertThat(pt.mappedPages()).isZero();
                assertThat(ops.counters().maps()).isEqualTo(maps);
                assertThat(ops.counters().unmaps()).isEqualTo(maps);
                assertThat(ops.counters().unmapMismatches()).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * CPUs map and unmap while the group's type is switched from DMA to DMA-FQ under them: every
     * unmap either synced at once or was queued, never both or neither, and nothing was reused
     * early across the switch.
     */
    @Test
    void aLiveUpgradeToFlushQueuesKeepsTheInvariants() throws Exception {
        IdealIommu.Config config = IdealIommu.Config.defaults()
                .withGeometry(new DomainGeometry(0, (256L << 20) - 1, true))
                .withCheckSafety(true);
        try (NativeEngine engine = new NativeEngine(CPUS)) {
            TestMachine m = new TestMachine(engine, IommuBootParams.defaults().withStrict(true), config,
                    DmaIommuOptions.checked(QueueType.PER_CPU, 8, 1));
            Device dev = new Device("upgrade");
            IommuDmaOps ops = m.probe(dev);
            m.core.group(dev).bindDriver();
            IdealDomain pt = m.lastDomain();
            ExecutorService pool = Executors.newFixedThreadPool(CPUS);
            try {
                List<CompletableFuture<Long>> runs = new ArrayList<>();
                for (int c = 0; c < CPUS; c++) {
                    Cpu cpu = engine.cpu(c);
                    runs.add(CompletableFuture.supplyAsync(() -> run(cpu, dev, ops, pt), pool));
                }
                while (ops.counters().unmaps() < 1000 && !runs.stream().allMatch(CompletableFuture::isDone)) {
                    Thread.onSpinWait(); // let some strict unmaps happen first
                }
                m.core.group(dev).storeType("DMA-FQ");
                for (CompletableFuture<Long> r : runs) {
                    r.get();
                }
                DmaIommuSnapshot n = ops.counters();
                assertThat(m.core.group(dev).type()).isEqualTo("DMA-FQ");
                assertThat(n.strictSyncs() + n.entriesQueued()).isEqualTo(n.unmaps());
                assertThat(n.strictSyncs()).isPositive();
                assertThat(n.entriesQueued()).isPositive();
                assertThat(pt.checker().violations()).as("%s", pt.checker().messages()).isZero();
                assertThat(pt.mappedPages()).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** One CPU's random walk; returns how many maps succeeded. */
    private static long run(Cpu cpu, Device dev, IommuDmaOps ops, IdealDomain pt) {
        SplittableRandom rnd = new SplittableRandom(cpu.id());
        long[] handles = new long[64];
        long[] sizes = new long[64];
        int live = 0;
        long maps = 0;
        for (int i = 0; i < OPS_PER_CPU; i++) {
            if (live < handles.length && (live == 0 || rnd.nextBoolean())) {
                long size = 1 + rnd.nextLong(0x10000);
                long phys = (cpu.id() + 1L) << 36 | rnd.nextLong(1L << 32);
                long h = ops.mapPage(cpu, dev, phys, size, DmaDirection.TO_DEVICE, 0);
                if (h != DmaOps.DMA_MAPPING_ERROR) {
                    if (pt.iovaToPhys(h) != phys) {
                        throw new AssertionError("0x" + Long.toHexString(h) + " does not translate to its buffer");
                    }
                    handles[live] = h;
                    sizes[live++] = size;
                    maps++;
                }
            } else {
                int k = rnd.nextInt(live);
                ops.unmapPage(cpu, dev, handles[k], sizes[k], DmaDirection.TO_DEVICE, 0);
                handles[k] = handles[--live];
                sizes[k] = sizes[live];
            }
        }
        while (live > 0) {
            live--;
            ops.unmapPage(cpu, dev, handles[live], sizes[live], DmaDirection.TO_DEVICE, 0);
        }
        return maps;
    }
}
