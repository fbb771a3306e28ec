package org.iommulab.s390;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iommulab.s390.PciDma.*;

import java.util.concurrent.CyclicBarrier;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.sim.threads.NativeEngine;
import org.iommulab.testing.Concurrently;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class DmaTableTest {

    private static final long B = TableMemory.BASE;

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);

    @Test
    void firstMapAllocatesSegmentAndPageTableAndWalkReadsHandComputedEntries() {
        TableMemory mem = new TableMemory();
        DmaTable t = DmaTable.alloc(mem);
        long dma = 0x1_2345_6000L;

        assertThat(t.updateCpuTrans(cpu, dma, 0xabcd_e000L, ZPCI_PTE_VALID | ZPCI_TABLE_PROTECTED)).isTrue();

        // rto at BASE, the segment table right after it (16 KiB), then the page table
        assertThat(t.rto()).isEqualTo(B);
        assertThat(t.iota()).isEqualTo(B | 0x804);
        long rte = t.rte(dma);
        assertThat(rte).isEqualTo(B + 0x4000 + 0x7);
        long ste = t.ste(rte, dma);
        assertThat(ste).isEqualTo(B + 0x8000);
        assertThat(t.pte(ste, dma)).isEqualTo(0xabcd_e200L);
        assertThat(mem.load(B, 2)).isEqualTo(rte);
        assertThat(mem.load(B + 0x4000, 0x234)).isEqualTo(ste);
        assertThat(mem.load(B + 0x8000, 0x56)).isEqualTo(0xabcd_e200L);
        assertThat(t.translate(dma)).isEqualTo(0xabcd_e200L);
        assertThat(t.translate(dma + PAGE_SIZE)).isEqualTo(ZPCI_PTE_INVALID);
        assertThat(t.translate(dma + (1L << 31))).isEqualTo(ZPCI_PTE_INVALID);
        assertThat(t.translate(ZPCI_TABLE_SIZE_RT + dma)).isEqualTo(ZPCI_PTE_INVALID);

        assertThat(t.bytes()).isEqualTo(2 * 16384 + 2048);
        assertThat(mem.bytesInUse()).isEqualTo(2 * 16384 + 2048);
        assertThat(engine.spent(Cost.TABLE_ALLOC_CRST)).isEqualTo(1);
        assertThat(engine.spent(Cost.TABLE_ALLOC_PT)).isEqualTo(1);
        assertThat(engine.spent(Cost.TABLE_INSTALL)).isEqualTo(2);
        assertThat(engine.spent(Cost.PTE_WRITE)).isEqualTo(1);
    }

    @Test
    void unmapKeepsFrameAndSecondPageReusesTables() {
        TableMemory mem = new TableMemory();
        DmaTable t = DmaTable.alloc(mem);
        long dma = 0x1_0000_0000L;
        t.updateCpuTrans(cpu, dma, 0x7000, ZPCI_PTE_VALID);
        t.updateCpuTrans(cpu, dma + PAGE_SIZE, 0x9000, ZPCI_PTE_VALID);
        t.updateCpuTrans(cpu, dma, 0, ZPCI_PTE_INVALID);

        assertThat(t.translate(dma)).isEqualTo(0x7400L);
        assertThat(t.translate(dma + PAGE_SIZE)).isEqualTo(0x9000L);
        assertThat(t.crstTables()).isEqualTo(2);
        assertThat(t.pageTables()).isEqualTo(1);
        assertThat(engine.spent(Cost.TABLE_INSTALL)).isEqualTo(2);
        assertThat(engine.spent(Cost.PTE_WRITE)).isEqualTo(3);
    }

    @Test
    void allocationFailureReportsFalseAndFreeReturnsEveryByte() {
        TableMemory mem = new TableMemory(2 * 16384); // room for the region and one segment table
        DmaTable t = DmaTable.alloc(mem);
        assertThat(t.updateCpuTrans(cpu, 0x1_0000_0000L, 0x7000, ZPCI_PTE_VALID)).isFalse();
        assertThat(mem.bytesInUse()).isEqualTo(2 * 16384);
        t.free();
        assertThat(mem.bytesInUse()).isZero();
        assertThat(t.bytes()).isZero();
        assertThat(DmaTable.alloc(new TableMemory(16383))).isNull();
    }

    @RepeatedTest(20)
    void racingCpusInstallExactlyOneTableAndKeepEveryMapping() throws Exception {
        int threads = 4;
        int pagesEach = 64;
        TableMemory mem = new TableMemory();
        DmaTable t = DmaTable.alloc(mem);
        long base = 0x3_0000_0000L; // empty region: every thread needs the same segment and page table
        CyclicBarrier start = new CyclicBarrier(threads);
        try (NativeEngine ne = new NativeEngine(threads)) {
            Concurrently.run(threads, id -> {
                Cpu c = ne.cpu(id);
                start.await();
                for (int p = 0; p < pagesEach; p++) {
                    long page = id + (long) p * threads;
                    t.updateCpuTrans(c, base + page * PAGE_SIZE, page << PAGE_SHIFT, ZPCI_PTE_VALID);
                }
            });
        }
        long pages = (long) threads * pagesEach;
        for (long page = 0; page < pages; page++) {
            assertThat(t.translate(base + page * PAGE_SIZE)).isEqualTo(page << PAGE_SHIFT);
        }
        assertThat(t.crstTables()).isEqualTo(2);
        assertThat(t.pageTables()).isEqualTo(1);
        assertThat(mem.bytesInUse()).isEqualTo(2 * 16384 + 2048);
        assertThat(mem.framesAllocated()).isEqualTo(3 + t.racesLost());
    }
}
