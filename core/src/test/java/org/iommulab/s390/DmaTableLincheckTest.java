package org.iommulab.s390;

import static org.iommulab.s390.PciDma.*;

import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the lock-free table installation: CPUs mapping pages that share one empty segment
 * and page table, under every interleaving Lincheck explores. Each map must stay visible, and
 * after the run the only tables allocated are the ones installed (losers freed their copies).
 */
@Param(name = "page", gen = IntGen.class, conf = "0:3")
public class DmaTableLincheckTest {

    private static final long BASE = 0x5_0000_0000L;
    private static final Cpu CPU = new Cpu() {
        @Override
        public int id() {
            return 0;
        }

        @Override
        public long nowNs() {
            return 0;
        }

        @Override
        public void spend(Cost cost, long count) {}
    };

    private final TableMemory memory = new TableMemory();
    private final DmaTable table = DmaTable.alloc(memory);

    @Operation
    public boolean map(@Param(name = "page") int page) {
        return table.updateCpuTrans(CPU, BASE + page * PAGE_SIZE, (page + 1L) << PAGE_SHIFT, ZPCI_PTE_VALID);
    }

    @Operation
    public long translate(@Param(name = "page") int page) {
        return table.translate(BASE + page * PAGE_SIZE);
    }

    @Validate
    public void onlyInstalledTablesRemainAllocated() {
        if (memory.bytesInUse() != table.bytes() || table.crstTables() > 2 || table.pageTables() > 1) {
            throw new IllegalStateException("tables leaked: " + memory.bytesInUse() + " bytes in memory, "
                    + table.bytes() + " installed");
        }
    }

    @Test
    void installationIsLinearizableAndLeakFree() {
        // the post part makes Lincheck validate after the parallel part, where a leaked copy would show
        new ModelCheckingOptions().iterations(5).invocationsPerIteration(50).threads(2).actorsPerThread(2)
                .actorsBefore(0).actorsAfter(1).check(getClass());
    }
}
