package org.iommulab.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.fault.FaultInjector;
import org.iommulab.fault.Faults;
import org.iommulab.s390.RpcitResult;
import org.junit.jupiter.api.Test;

/** Platform names as the command line takes them, and the RPCIT answers a fault plan injects. */
class PlatformEdgesTest {

    @Test
    void platformsParseByTheirCommandLineNameInAnyCase() {
        assertThat(PlatformKind.parse("x86-cm")).isEqualTo(PlatformKind.X86_CM);
        assertThat(PlatformKind.parse("KVM")).isEqualTo(PlatformKind.KVM);
        assertThat(PlatformKind.names()).isEqualTo("lpar, zvm, kvm, virtio, x86, x86-cm, smmuv3");
        assertThatThrownBy(() -> PlatformKind.parse("sparc"))
                .hasMessage("platform 'sparc' is not one of lpar, zvm, kvm, virtio, x86, x86-cm, smmuv3");
    }

    private static RpcitResult draw(String faults) {
        return new RpcitFaults(new FaultInjector(Faults.parse(faults), 1)).draw();
    }

    @Test
    void eachInjectedRpcitAnswerIsTheOneItsKindNames() {
        assertThat(draw("rpcit-busy=0.999999999")).isEqualTo(RpcitResult.BUSY);
        assertThat(draw("rpcit-oor=1")).isEqualTo(RpcitResult.INSUFFICIENT_RESOURCES);
        assertThat(draw("rpcit-oor=1").isOutOfResources()).isTrue();
        RpcitResult error = draw("rpcit-error=1");
        assertThat(error.cc()).isEqualTo(RpcitResult.ZPCI_CC_ERR);
        assertThat(error.status()).isEqualTo(RpcitResult.ZPCI_PCI_ST_FUNC_IN_ERR);
        assertThat(error.isOutOfResources()).as("-EIO, not -ENOMEM").isFalse();
        assertThat(draw("none")).as("nothing injected: the platform executes the RPCIT").isNull();
        assertThat(RpcitFaults.NONE.draw()).isNull();
    }
}
