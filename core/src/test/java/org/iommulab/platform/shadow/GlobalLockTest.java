package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.s390.RpcitResult;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.iommulab.sim.virtual.VirtualResourceStats;
import org.junit.jupiter.api.Test;

class GlobalLockTest {

    @Test
    void rpcitsOfTwoCpusAreHandledOneAtATimeAndTheSecondWaits() {
        CostModel costs = CostModel.defaults();
        VirtualEngine engine = new VirtualEngine(2, costs);
        GuestSetup g = new GuestSetup(engine, HypervisorProfile.QEMU_8_0, 65_535);
        g.map(0, 2, true);
        RpcitResult[] results = new RpcitResult[2];
        engine.post(0, 0, c -> results[0] = g.rpcit(c, 0, 1));
        engine.post(1, 0, c -> results[1] = g.rpcit(c, 1, 1));

        engine.runUntil(Long.MAX_VALUE);

        long exit = costs.ns(Cost.KVM_RPCIT_EXIT);
        long handling = costs.ns(Cost.SPIN_LOCK) + costs.ns(Cost.KVM_WALK_PAGE)
                + costs.ns(Cost.KVM_SHADOW_LOOKUP) + costs.ns(Cost.KVM_HOST_MAP);
        assertThat(results).containsOnly(RpcitResult.OK);
        VirtualResourceStats lock = engine.resourceStats().stream()
                .filter(r -> r.name().equals("qemu-8.0-global-lock")).findFirst().orElseThrow();
        assertThat(lock.acquisitions()).isEqualTo(2);
        assertThat(lock.contended()).isEqualTo(1);
        assertThat(lock.waitNs()).isEqualTo(handling);
        assertThat(engine.cpu(0).nowNs()).isEqualTo(exit + handling);
        assertThat(engine.cpu(1).nowNs()).isEqualTo(exit + 2 * handling);
        // the wait is the vCPU stalled in the hypervisor, not a guest spinlock
        assertThat(engine.busyNs(CostCategory.LOCK_WAIT)).isZero();
        assertThat(engine.busyNs(CostCategory.HYPERVISOR))
                .isEqualTo(2 * (exit + handling - costs.ns(Cost.SPIN_LOCK)) + handling);
    }
}
