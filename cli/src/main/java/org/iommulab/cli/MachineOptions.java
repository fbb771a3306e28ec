package org.iommulab.cli;

import java.util.Arrays;
import org.iommulab.arm.SmmuV3Config;
import org.iommulab.lab.KernelConfig;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.WorkloadSpec;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.sim.TimerWheel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that choose the machine beneath the workload, shared by {@code run} and {@code bench}. */
final class MachineOptions {

    @Option(names = "--platform", defaultValue = "kvm", paramLabel = "PLATFORM", converter = PlatformNames.class,
            completionCandidates = PlatformNames.class,
            description = "the machine beneath the guest: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private PlatformKind platform;

    @Option(names = "--hv-profile", paramLabel = "PROFILE",
            description = "KVM/QEMU behaviour by version and backend: qemu-7.1, qemu-7.2, qemu-8.0 (default),"
                    + " qemu-8.2-iommufd, qemu-10.0, qemu-10.0-m9.2; kvm only")
    private String hvProfile;

    @Option(names = "--dma", defaultValue = "auto", paramLabel = "POLICY", converter = PolicyNames.class,
            completionCandidates = PolicyNames.class,
            description = "invalidation policy (DMA mode): ${COMPLETION-CANDIDATES}; auto is what Linux 6.7 picks on "
                    + "the platform; see 'iommu-lab policies' (default: ${DEFAULT-VALUE})")
    private InvalidationPolicy dma;

    @Option(names = "--fq-size", paramLabel = "N",
            description = "flush-queue entries, a power of 2 (policies that queue; default: the policy's, 256 lazy-percpu, "
                    + "32768 lazy-single, 4096 per CPU for deadline)")
    private Integer fqSize;

    @Option(names = {"--fq-timeout-ms", "--max-stale-ms"}, paramLabel = "N",
            description = "flush-queue timeout in ms, 1 or more; for deadline policies the bound on the stale window"
                    + " (default: the policy's, 10 lazy-percpu, 1000 lazy-single, 5 deadline)")
    private Integer fqTimeoutMs;

    @Option(names = "--hz", paramLabel = "100|250|300|1000",
            description = "the guest kernel's CONFIG_HZ, whose tick its timers (the flush-queue timeout) fire on"
                    + " (default: 100 on s390 as its defconfig, 250 on smmuv3 as arm64's, 1000 elsewhere)")
    private Integer hz;

    @Option(names = "--rcache-max-order", paramLabel = "N",
            description = "IOVA rcache size classes (IOVA_RANGE_CACHE_MAX_SIZE): sizes up to 2^(N-1) granules are"
                    + " cached, larger ones go to the rbtree under its lock (default: ${DEFAULT-VALUE}, as Linux: 128 KiB)")
    private int rcacheMaxOrder;

    @Option(names = "--opt-size-cap", paramLabel = "on|off",
            description = "dma-iommu reports the rcache range as dma_opt_mapping_size, so nvme splits larger"
                    + " requests (default: ${DEFAULT-VALUE}, as Linux since 5.19)")
    private String optSizeCap;

    @Option(names = "--functions", paramLabel = "N",
            description = "zPCI functions attached to the device's domain (s390, dma-iommu policies): every sync and"
                    + " flush issues one RPCIT per function (default: ${DEFAULT-VALUE})")
    private int functions;

    @Option(names = "--smmu-range-inv", paramLabel = "on|off",
            description = "the SMMUv3 has range invalidation (SMMUv3.2 IDR3.RIL): one TLBI command per range instead of"
                    + " one per page (smmuv3; default: ${DEFAULT-VALUE})")
    private String smmuRangeInv;

    @Option(names = "--ats", paramLabel = "on|off",
            description = "the device uses PCIe ATS: it caches translations in its ATC, and every invalidation adds an"
                    + " ATC_INV round trip to it (smmuv3; default: ${DEFAULT-VALUE})")
    private String ats;

    @Mixin
    private CostOptions costs;

    @Mixin
    private FaultOptions faults;

    /** Refuses a flush-queue size or timeout below 1; null leaves the policy's own. */
    static void checkQueueSettings(Integer fqSize, Integer fqTimeoutMs) {
        if (fqSize != null && fqSize < 1 || fqTimeoutMs != null && fqTimeoutMs < 1) {
            throw new IllegalArgumentException((fqSize != null && fqSize < 1 ? "--fq-size " + fqSize
                    : "--fq-timeout-ms " + fqTimeoutMs) + " is not allowed; leave it out for the policy's default, or give 1 or more");
        }
    }

    /** The scenario these options and the command's own describe. */
    Scenario scenario(int guestMemoryGiB, WorkloadSpec workload, int cpus, long durationMs, long seed) {
        checkQueueSettings(fqSize, fqTimeoutMs);
        boolean cap = onOff("--opt-size-cap", optSizeCap);
        SmmuV3Config smmu = SmmuV3Config.DEFAULTS.withRangeInvalidation(onOff("--smmu-range-inv", smmuRangeInv))
                .withAts(onOff("--ats", ats));
        return new Scenario(platform, hvProfile, guestMemoryGiB, dma,
                fqSize == null ? 0 : fqSize, fqTimeoutMs == null ? 0 : fqTimeoutMs, workload, cpus, durationMs, seed, costs.overrides(),
                new KernelConfig(hz == null ? 0 : checkedHz(hz), rcacheMaxOrder, cap), functions, smmu, faults.faults());
    }

    private static boolean onOff(String option, String value) {
        if (!value.equals("on") && !value.equals("off")) {
            throw new IllegalArgumentException(option + " " + value + " is not one of on, off");
        }
        return value.equals("on");
    }

    private static int checkedHz(int hz) {
        if (Arrays.stream(TimerWheel.KCONFIG_HZ).noneMatch(h -> h == hz)) {
            throw new IllegalArgumentException("--hz " + hz + " is not allowed; give 100, 250, 300 or 1000, or leave it out");
        }
        return hz;
    }
}
