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
    void rpcitsOfTwoCpusAreHandledOneAtATimeAndTheSecondWaitsForTheHolderAndTheHandoff() {
        CostModel costs = CostModel.defaults();
        VirtualEngine engine = new VirtualEngine(2, costs);
        GuestSetup g = new GuestSetup(engine, HypervisorProfile.QEMU_8_0, 65_535);
        g.map(0, 2, true);
        RpcitResult[] results = new RpcitResult[2];
        engine.post(0, 0, c -> results[0] = g.rpcit(c, 0, 1));
        engine.post(1, 0, c -> results[1] = g.rpcit(c, 1, 1));

        engine.runUntil(Long.MAX_VALUE);

        long exit = costs.ns(Cost.KVM_RPCIT_EXIT);
        // under the BQL: the register sync and decode, then the refresh of one new page
        long handling = costs.ns(Cost.SPIN_LOCK) + costs.ns(Cost.KVM_RPCIT_LOCKED) + costs.ns(Cost.KVM_WALK_PAGE)
                + costs.ns(Cost.KVM_SHADOW_LOOKUP) + costs.ns(Cost.KVM_HOST_MAP);
        long handoff = costs.ns(Cost.KVM_BQL_HANDOFF);
        assertThat(results).containsOnly(RpcitResult.OK);
        VirtualResourceStats lock = engine.resourceStats().stream()
                .filter(r -> r.name().equals("qemu-8.0-global-lock")).findFirst().orElseThrow();
        assertThat(lock.acquisitions()).isEqualTo(2);
        assertThat(lock.contended()).isEqualTo(1);
        assertThat(lock.waitNs()).isEqualTo(handling + handoff);
        // held twice, idle but not free during the handoff
        assertThat(lock.busyNs()).isEqualTo(2 * handling + handoff);
        assertThat(engine.cpu(0).nowNs()).isEqualTo(exit + handling);
        assertThat(engine.cpu(1).nowNs()).isEqualTo(exit + 2 * handling + handoff);
        // the wait is the vCPU stalled in the hypervisor, not a guest spinlock
        assertThat(engine.busyNs(CostCategory.LOCK_WAIT)).isZero();
        assertThat(engine.busyNs(CostCategory.HYPERVISOR))
                .isEqualTo(2 * (exit + handling - costs.ns(Cost.SPIN_LOCK)) + handling + handoff);
    }

    @Test
    void zvmSpinsForItsSerialisationAndPaysNoHandoff() {
        CostModel costs = CostModel.defaults();
        VirtualEngine engine = new VirtualEngine(2, costs);
        GuestSetup g = new GuestSetup(engine, HypervisorProfile.ZVM, 65_535);
        g.map(0, 2, true);
        engine.post(0, 0, c -> g.rpcit(c, 0, 1));
        engine.post(1, 0, c -> g.rpcit(c, 1, 1));

        engine.runUntil(Long.MAX_VALUE);

        VirtualResourceStats lock = engine.resourceStats().stream()
                .filter(r -> r.name().equals("zvm-global-lock")).findFirst().orElseThrow();
        assertThat(lock.contended()).isEqualTo(1);
        assertThat(engine.cpu(1).nowNs() - engine.cpu(0).nowNs()).isEqualTo(lock.waitNs());
    }

    @Test
    void withoutLoadStoreInterpretationADoorbellWriteIsAnInterceptHandledUnderTheBql() {
        CostModel costs = CostModel.defaults();
        VirtualEngine engine = new VirtualEngine(2, costs);
        GuestSetup g = new GuestSetup(engine, HypervisorProfile.QEMU_7_1, 65_535);
        engine.post(0, 0, c -> g.fn.device().mmio().write(c));
        engine.post(1, 0, c -> g.fn.device().mmio().write(c));

        engine.runUntil(Long.MAX_VALUE);

        long held = costs.ns(Cost.SPIN_LOCK) + costs.ns(Cost.KVM_PCI_STORE);
        assertThat(g.hv.stats().pciStores()).isEqualTo(2);
        assertThat(engine.cpu(0).nowNs()).isEqualTo(costs.ns(Cost.KVM_RPCIT_EXIT) + held);
        assertThat(engine.cpu(1).nowNs())
                .isEqualTo(costs.ns(Cost.KVM_RPCIT_EXIT) + 2 * held + costs.ns(Cost.KVM_BQL_HANDOFF));
    }

    @Test
    void withInterpretationADoorbellWriteCostsTheHypervisorNothing() {
        VirtualEngine engine = new VirtualEngine(1, CostModel.defaults());
        GuestSetup g = new GuestSetup(engine, HypervisorProfile.QEMU_7_2, 65_535);
        engine.post(0, 0, c -> g.fn.device().mmio().write(c));

        engine.runUntil(Long.MAX_VALUE);

        assertThat(g.hv.stats().pciStores()).isZero();
        assertThat(engine.cpu(0).nowNs()).isZero();
    }
}
