package org.iommulab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.Policies;
import org.iommulab.sim.CostCategory;
import org.iommulab.stats.RunStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code --dma direct}: no IOVA, no table, no invalidation and no hypervisor work, on every platform. */
class DirectBaselineTest {

    @ParameterizedTest
    @EnumSource(PlatformKind.class)
    void directIssuesNoIovaTableOrInvalidationWork(PlatformKind platform) {
        Scenario d = Scenario.defaults(platform, Policies.DIRECT);
        RunStats r = Simulation.run(new Scenario(platform, null, d.guestMemoryGiB(), Policies.DIRECT, 0, 0, d.workload(),
                2, 5, 1, Map.of()));

        assertThat(r.io().completed()).isPositive();
        assertThat(r.rpcit().syncMap() + r.rpcit().sync() + r.rpcit().global()).isZero();
        assertThat(r.hypervisor().exits()).isZero();
        assertThat(r.pages().mapped()).isZero();
        assertThat(r.memory().iovaBytes() + r.memory().tableBytes()).isZero();
        Map<CostCategory, Long> cpu = r.cpu().byCategoryNs();
        for (CostCategory c : new CostCategory[] {CostCategory.DMA, CostCategory.IOVA, CostCategory.PAGE_TABLE,
                CostCategory.FLUSH, CostCategory.HYPERVISOR}) {
            assertThat(cpu.get(c)).as(platform + " " + c).isZero();
        }
        assertThat(r.warnings().stream().anyMatch(w -> w.contains("is a what-if"))).isEqualTo(platform.s390());
    }
}
