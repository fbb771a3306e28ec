package org.iommulab.s390;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.iommulab.sim.threads.UntimedEngine;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Lock-free table installation in {@link DmaTable}: two CPUs map a page each in the same empty
 * segment of a fresh domain, so both find the region-third entry and then the segment entry
 * invalid, allocate a table and race to install it. Exactly one segment table and one page table
 * must be installed, the losers' copies freed, and both mappings present.
 *
 * <p>Result: region and segment tables held (2), page tables held (1), 1 when both pages translate
 * and table memory holds nothing but the installed tables, and how many races were lost.
 */
@JCStressTest
@Description("s390 DmaTable: concurrent table installation in one empty segment installs exactly one table per level")
@Outcome(id = "2, 1, 1, 0", expect = ACCEPTABLE, desc = "one CPU installed both tables before the other looked")
@Outcome(id = "2, 1, 1, [12]", expect = ACCEPTABLE_INTERESTING, desc = "a CPU lost an installation race, freed its copy and used the winner's")
@Outcome(expect = FORBIDDEN, desc = "a table too many or too few, a mapping lost, or a loser's table leaked")
@State
public class TableInstallStress {

    private static final long DMA_A = 1L << 32;
    private static final long DMA_B = DMA_A + PciDma.PAGE_SIZE;
    private static final long PAGE_A = 0x10_0000L;
    private static final long PAGE_B = 0x20_0000L;

    private final UntimedEngine engine = new UntimedEngine(2);
    private final TableMemory memory = new TableMemory();
    private final DmaTable table = DmaTable.alloc(memory);
    private boolean mappedA;
    private boolean mappedB;

    @Actor
    public void mapA() {
        mappedA = table.updateCpuTrans(engine.cpu(0), DMA_A, PAGE_A, PciDma.ZPCI_PTE_VALID);
    }

    @Actor
    public void mapB() {
        mappedB = table.updateCpuTrans(engine.cpu(1), DMA_B, PAGE_B, PciDma.ZPCI_PTE_VALID);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = (int) table.crstTables();
        r.r2 = (int) table.pageTables();
        boolean both = mappedA && mappedB
                && (table.translate(DMA_A) & PciDma.ZPCI_PTE_ADDR_MASK) == PAGE_A
                && (table.translate(DMA_B) & PciDma.ZPCI_PTE_ADDR_MASK) == PAGE_B
                && PciDma.ptEntryIsValid(table.translate(DMA_A)) && PciDma.ptEntryIsValid(table.translate(DMA_B));
        r.r3 = both && memory.bytesInUse() == table.bytes() ? 1 : 0;
        r.r4 = (int) table.racesLost();
    }
}
