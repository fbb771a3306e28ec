package org.iommulab.s390;

/**
 * What one RPCIT (Refresh PCI Translations, B9D3) instruction returned: its condition code and,
 * for condition code 1, the status from bits 24-31 of r1. Models the results that
 * {@code zpci_refresh_trans} (arch/s390/pci/pci_insn.c) reads.
 *
 * @param cc condition code 0..3
 * @param status the status byte, meaningful with cc 1
 */
public record RpcitResult(int cc, int status) {

    /** Condition code 0: the translations were refreshed. */
    public static final int ZPCI_CC_OK = 0;
    /** Condition code 1: error, see the status. */
    public static final int ZPCI_CC_ERR = 1;
    /** Condition code 2: busy, try again. */
    public static final int ZPCI_CC_BUSY = 2;
    /** Condition code 3: invalid function handle. */
    public static final int ZPCI_CC_INVAL_HANDLE = 3;

    /** Status 16 ({@code ZPCI_RPCIT_ST_INSUFF_RES} in QEMU): insufficient resources. */
    public static final int ZPCI_RPCIT_ST_INSUFF_RES = 16;
    /** Status 4: the other status the kernel reads as out of resources. */
    public static final int ZPCI_RPCIT_ST_4 = 4;
    /** Status 8 ({@code ZPCI_PCI_ST_FUNC_IN_ERR} in QEMU): the function is in error or the range outside its IOAT. */
    public static final int ZPCI_PCI_ST_FUNC_IN_ERR = 8;

    public static final RpcitResult OK = new RpcitResult(ZPCI_CC_OK, 0);
    public static final RpcitResult BUSY = new RpcitResult(ZPCI_CC_BUSY, 0);
    /** What a shadowing hypervisor returns when its DMA limit is exhausted. */
    public static final RpcitResult INSUFFICIENT_RESOURCES = new RpcitResult(ZPCI_CC_ERR, ZPCI_RPCIT_ST_INSUFF_RES);

    public RpcitResult {
        if (cc < 0 || cc > 3) {
            throw new IllegalArgumentException("condition code " + cc + "; allowed 0..3");
        }
        if (status < 0 || status > 0xff) {
            throw new IllegalArgumentException("status " + status + "; allowed 0..255");
        }
    }

    /** An error with condition code 1 and {@code status}. */
    public static RpcitResult error(int status) {
        return new RpcitResult(ZPCI_CC_ERR, status);
    }

    public boolean isOk() {
        return cc == ZPCI_CC_OK;
    }

    public boolean isBusy() {
        return cc == ZPCI_CC_BUSY;
    }

    /** Condition code 1 with status 4 or 16: the kernel's -ENOMEM. */
    public boolean isOutOfResources() {
        return cc == ZPCI_CC_ERR && (status == ZPCI_RPCIT_ST_4 || status == ZPCI_RPCIT_ST_INSUFF_RES);
    }
}
