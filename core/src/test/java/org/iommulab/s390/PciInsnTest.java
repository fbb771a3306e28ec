package org.iommulab.s390;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;
import org.iommulab.sim.Cost;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class PciInsnTest {

    private final ManualEngine engine = new ManualEngine(1);
    private final ScriptedRpcit rpcit = new ScriptedRpcit();
    private final ZpciFunction fn = ZpciFunction.builder(new Device("nvme0"), rpcit)
            .dmaRange(0x1_0000_0000L, 0x1_ffff_ffffL).build();

    @Test
    void busyIsRetriedAfterTheDelayUntilItSucceeds() {
        rpcit.script(RpcitResult.BUSY, RpcitResult.BUSY, RpcitResult.BUSY, RpcitResult.OK);
        assertThat(PciInsn.zpciRefreshTrans(engine.cpu(0), fn, 0x1_0000_0000L, 4096)).isZero();
        assertThat(rpcit.calls()).hasSize(4);
        assertThat(engine.spent(Cost.RPCIT_BUSY_DELAY)).isEqualTo(3);
    }

    @Test
    void status4And16AreOutOfMemoryAndOtherErrorsAreIo() {
        rpcit.script(RpcitResult.error(4), RpcitResult.error(16), RpcitResult.error(8),
                new RpcitResult(RpcitResult.ZPCI_CC_INVAL_HANDLE, 0));
        assertThat(PciInsn.zpciRefreshTrans(engine.cpu(0), fn, 0, 1)).isEqualTo(-Errno.ENOMEM);
        assertThat(PciInsn.zpciRefreshTrans(engine.cpu(0), fn, 0, 1)).isEqualTo(-Errno.ENOMEM);
        assertThat(PciInsn.zpciRefreshTrans(engine.cpu(0), fn, 0, 1)).isEqualTo(-Errno.EIO);
        assertThat(PciInsn.zpciRefreshTrans(engine.cpu(0), fn, 0, 1)).isEqualTo(-Errno.EIO);
    }

    @Test
    void refreshAllCoversStartDmaToEndDma() {
        assertThat(PciInsn.zpciRefreshAll(engine.cpu(0), fn)).isZero();
        assertThat(rpcit.calls()).containsExactly(new ScriptedRpcit.Call(fn, 0x1_0000_0000L, 0x1_0000_0000L));
    }
}
