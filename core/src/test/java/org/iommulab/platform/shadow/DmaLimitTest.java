package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.platform.RpcitFaults;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** vfio's DMA entry limit at its smallest, in the container and in the hypervisor that holds it. */
class DmaLimitTest {

    @Test
    void aLimitOfOneEntryTakesOneAndNoMore() {
        DmaLimit limit = new DmaLimit(1);
        assertThat(limit.limit()).isEqualTo(1);
        assertThat(limit.avail()).isEqualTo(1);
        limit.take();
        assertThat(limit.avail()).isZero();
        assertThatThrownBy(limit::take).hasMessage("DMA entry limit 1 exceeded");
        limit.release(1);
        assertThat(limit.avail()).isEqualTo(1);
        assertThatThrownBy(() -> limit.release(1)).hasMessage("released 1 DMA entries with 0 in use");
    }

    @Test
    void noLimitBelowOneEntry() {
        assertThatThrownBy(() -> new DmaLimit(0)).hasMessage("DMA entry limit 0; must be at least 1");
        ManualEngine engine = new ManualEngine(1);
        assertThat(new ShadowingHypervisor(engine, HypervisorProfile.QEMU_7_1, 1, RpcitFaults.NONE).dmaEntryLimit())
                .isEqualTo(1);
        assertThatThrownBy(() -> new ShadowingHypervisor(engine, HypervisorProfile.QEMU_7_1, 0, RpcitFaults.NONE))
                .hasMessage("DMA entry limit 0; must be at least 1");
    }
}
