package org.iommulab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.iommulab.arm.SmmuV3Config;
import org.iommulab.fault.Faults;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.stats.RunStats;
import org.iommulab.workload.FioOptions;
import org.junit.jupiter.api.Test;

/** Functions sharing the device's domain each get an RPCIT on every sync and flush. */
class SharedDomainTest {

    private static RunStats run(InvalidationPolicy policy, int functions) {
        FioOptions fio = FioOptions.defaults().withNumjobs(2).withIodepth(4);
        return Simulation.run(new Scenario(PlatformKind.KVM, null, 16, policy, 0, 0, new WorkloadSpec.FioSpec(fio),
                2, 5, 1, Map.of(), KernelConfig.DEFAULTS, functions, SmmuV3Config.DEFAULTS, Faults.NONE));
    }

    @Test
    void everyStrictMapAndUnmapIsOneRpcitPerAttachedFunction() {
        RunStats one = run(Policies.STRICT, 1);
        RunStats three = run(Policies.STRICT, 3);

        assertThat(one.rpcit().syncMap()).isEqualTo(one.pages().mapped());
        assertThat(three.rpcit().syncMap()).isEqualTo(3 * three.pages().mapped());
        assertThat(three.rpcit().sync()).isEqualTo(3 * three.pages().unmapped());
        assertThat(three.hypervisor().exits()).isEqualTo(three.rpcit().syncMap() + three.rpcit().sync());
        assertThat(three.throughput().iops()).isLessThan(one.throughput().iops());
    }

    @Test
    void theOldSchemeAndNonS390PlatformsRefuseSeveralFunctions() {
        assertThatThrownBy(() -> run(Policies.LEGACY, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--functions applies to s390 platforms under dma-iommu policies");
        assertThatThrownBy(() -> new Scenario(PlatformKind.X86, null, 16, Policies.STRICT, 0, 0,
                new WorkloadSpec.FioSpec(FioOptions.defaults()), 2, 5, 1, Map.of(), KernelConfig.DEFAULTS, 2, SmmuV3Config.DEFAULTS, Faults.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not to x86");
    }
}
