package org.iommulab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.Policies;
import org.iommulab.stats.RunStats;
import org.junit.jupiter.api.Test;

/**
 * The counters a platform's drivers publish reach the run's result with nothing in between that
 * knows them: SMMUv3 commands, VT-d descriptors and virtio-iommu requests, each telling the
 * policies apart as the hardware would.
 */
class PublishedMetricsTest {

    private static Map<String, Long> metrics(PlatformKind platform, String policy) {
        Scenario s = Scenario.defaults(platform, Policies.byName(policy));
        RunStats r = Simulation.run(new Scenario(platform, null, s.guestMemoryGiB(), s.dma(), 0, 0, s.workload(),
                4, 20, 1, Map.of()));
        return r.metrics();
    }

    @Test
    void smmuStrictInvalidatesByAddressAndLazyByAsid() {
        Map<String, Long> strict = metrics(PlatformKind.SMMUV3, "strict");
        Map<String, Long> lazy = metrics(PlatformKind.SMMUV3, "lazy-percpu");
        assertThat(strict).containsKeys("smmu.tlbiVa", "smmu.tlbiAsid", "smmu.atcInv", "smmu.cmdSyncs",
                "smmu.cmdlists", "smmu.tlbHits", "smmu.tlbMisses");
        assertThat(strict.get("smmu.tlbiVa")).isPositive();
        assertThat(strict.get("smmu.tlbiAsid")).isZero();
        assertThat(lazy.get("smmu.tlbiAsid")).isPositive();
        assertThat(lazy.get("smmu.cmdSyncs")).isLessThan(strict.get("smmu.cmdSyncs"));
    }

    @Test
    void vtdStrictSendsPageSelectiveDescriptorsAndEachInvalidationWaits() {
        Map<String, Long> strict = metrics(PlatformKind.X86, "strict");
        assertThat(strict.get("vtd.psiDescriptors")).isPositive();
        assertThat(strict.get("vtd.waitDescriptors"))
                .isEqualTo(strict.get("vtd.psiDescriptors") + strict.get("vtd.dsiDescriptors"));
    }

    @Test
    void virtioCountsTheRequestsItsQueueCarried() {
        Map<String, Long> strict = metrics(PlatformKind.VIRTIO, "strict");
        assertThat(strict.get("virtio.mapRequests")).isPositive();
        assertThat(strict.get("virtio.kicks")).isPositive();
        assertThat(strict.get("virtio.errors")).isZero();
        assertThat(metrics(PlatformKind.LPAR, "strict")).isEmpty();
    }
}
