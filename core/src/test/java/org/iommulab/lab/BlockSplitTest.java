package org.iommulab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.stats.RunStats;
import org.iommulab.workload.FioOptions;
import org.junit.jupiter.api.Test;

/**
 * The nvme driver caps a command at {@code dma_opt_mapping_size}, which dma-iommu reports as
 * 128 KiB, so the block layer splits a larger fio block into several requests, each mapped (and,
 * with the refresh bit, synced) on its own; the old s390 DMA API reports no limit, so only the
 * 128-segment cap splits, and its map_sg builds one chunk per request since nvme allows
 * segments of up to 4 GiB.
 */
class BlockSplitTest {

    private static RunStats oneMiBReads(InvalidationPolicy policy) {
        FioOptions fio = FioOptions.defaults().withNumjobs(1).withIodepth(1).withBs(1 << 20).withRwmixread(100);
        return Simulation.run(new Scenario(PlatformKind.KVM, null, 16, policy, 0, 0, new WorkloadSpec.FioSpec(fio),
                1, 5, 1, Map.of()));
    }

    @Test
    void aOneMiBBlockUnderDmaIommuIsEightMappingsOf128KiBEachSynced() {
        RunStats r = oneMiBReads(Policies.LAZY_SINGLE);

        assertThat(r.io().submitted()).isPositive();
        assertThat(r.rpcit().syncMap()).isEqualTo(8 * r.io().submitted());
        assertThat(r.pages().mapped()).isEqualTo(256 * r.io().submitted());
    }

    @Test
    void theOldSchemeSplitsOnlyAt128SegmentsAndMapsEachRequestAsOneChunk() {
        RunStats r = oneMiBReads(Policies.LEGACY);

        assertThat(r.io().submitted()).isPositive();
        assertThat(r.rpcit().syncMap()).isEqualTo(2 * r.io().submitted());
    }
}
