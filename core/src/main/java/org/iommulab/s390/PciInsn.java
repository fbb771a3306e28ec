package org.iommulab.s390;

import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * The guest's RPCIT helpers: {@code zpci_refresh_trans} of arch/s390/pci/pci_insn.c and
 * {@code zpci_refresh_all} of drivers/iommu/s390-iommu.c (v6.7). The instruction goes to the
 * {@link RpcitHandler} the function is plugged into; busy (cc 2) is retried after a 1 us delay,
 * cc 1 with status 4 or 16 becomes -ENOMEM and any other non-zero cc -EIO. The kernel's error
 * logging is not modelled.
 */
public final class PciInsn {

    private PciInsn() {}

    /**
     * Issues RPCIT for {@code [addr, addr + range)} of {@code fn} until it is not busy.
     *
     * @return 0, -ENOMEM or -EIO
     */
    public static int zpciRefreshTrans(Cpu cpu, ZpciFunction fn, long addr, long range) {
        RpcitResult r = fn.rpcitHandler().rpcit(cpu, fn, addr, range);
        while (r.isBusy()) {
            cpu.spend(Cost.RPCIT_BUSY_DELAY);
            r = fn.rpcitHandler().rpcit(cpu, fn, addr, range);
        }
        if (r.isOk()) {
            return 0;
        }
        return r.isOutOfResources() ? -Errno.ENOMEM : -Errno.EIO;
    }

    /** A global refresh: RPCIT over {@code [start_dma, end_dma]}. */
    public static int zpciRefreshAll(Cpu cpu, ZpciFunction fn) {
        return zpciRefreshTrans(cpu, fn, fn.startDma(), fn.endDma() - fn.startDma() + 1);
    }
}
