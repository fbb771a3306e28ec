package org.iommulab.platform.shadow;

import static org.iommulab.s390.PciDma.PAGE_SIZE;
import static org.iommulab.s390.PciDma.ZPCI_PTE_INVALID;
import static org.iommulab.s390.PciDma.ZPCI_PTE_VALID;
import static org.iommulab.s390.PciDma.ZPCI_TABLE_PROTECTED;

import org.iommulab.kernel.Device;
import org.iommulab.platform.RpcitFaults;
import org.iommulab.s390.DmaTable;
import org.iommulab.s390.RpcitResult;
import org.iommulab.s390.TableMemory;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;

/** A guest with one function beneath a shadowing hypervisor, its tables written by hand. */
final class GuestSetup {

    static final long SDMA = ZpciFunction.DEFAULT_SDMA;
    /** A host range ending at 4 TiB, so no profile's aperture gets in a test's way. */
    static final long HOST_EDMA = (1L << 42) - 1;

    final ShadowingHypervisor hv;
    final ZpciFunction fn;
    final DmaTable table = DmaTable.alloc(new TableMemory());
    final StaleWindowTracker tracker = new StaleWindowTracker();
    /** The CPU the tests' RPCITs run on. */
    final Cpu cpu;
    /** Writes the guest tables, on an engine of its own so table costs stay out of the hypervisor's. */
    private final Cpu tableWriter = new ManualEngine(1).cpu(0);

    GuestSetup(Engine engine, HypervisorProfile profile, long dmaEntryLimit) {
        hv = new ShadowingHypervisor(engine, profile, dmaEntryLimit, RpcitFaults.NONE);
        fn = hv.functionBuilder(new Device("fn0"), SDMA, HOST_EDMA).trace(tracker).build();
        fn.registerIoat(table);
        cpu = engine.cpu(0);
    }

    /** The address of page {@code n} above SDMA. */
    static long page(long n) {
        return SDMA + n * PAGE_SIZE;
    }

    /** The guest-physical frame page {@code n} maps to in these tests. */
    static long frame(long n) {
        return 0x8000_0000L + n * PAGE_SIZE;
    }

    void map(long firstPage, long pages, boolean writable) {
        for (long n = firstPage; n < firstPage + pages; n++) {
            mapTo(n, frame(n), writable);
        }
    }

    void mapTo(long n, long frame, boolean writable) {
        table.updateCpuTrans(tableWriter, page(n), frame, ZPCI_PTE_VALID | (writable ? 0 : ZPCI_TABLE_PROTECTED));
    }

    void unmap(long firstPage, long pages) {
        for (long n = firstPage; n < firstPage + pages; n++) {
            table.updateCpuTrans(tableWriter, page(n), 0, ZPCI_PTE_INVALID);
        }
    }

    RpcitResult rpcit(long firstPage, long pages) {
        return rpcit(cpu, firstPage, pages);
    }

    RpcitResult rpcit(Cpu on, long firstPage, long pages) {
        return hv.rpcit(on, fn, page(firstPage), pages * PAGE_SIZE);
    }

    ShadowedFunction shadow() {
        return hv.function(fn);
    }
}
