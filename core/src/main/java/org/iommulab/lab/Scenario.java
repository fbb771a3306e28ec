package org.iommulab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.iommulab.arm.SmmuV3Config;
import org.iommulab.config.Records;
import org.iommulab.config.Reference;
import org.iommulab.fault.FaultKind;
import org.iommulab.fault.Faults;
import org.iommulab.iommu.DmaIommuOptions;
import org.iommulab.platform.PlatformKind;
import org.iommulab.platform.shadow.HypervisorProfile;
import org.iommulab.policy.DmaSetup;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.policy.QueueSettings;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.TimerWheel;
import org.iommulab.workload.FioOptions;

/**
 * Everything one run is made of: the platform beneath the guest, the DMA mode above it, the
 * workload on top, the machine's size and the costs. The same scenario and seed give the same
 * result, byte for byte.
 *
 * @param hvProfile the shadowing hypervisor's profile name, or null for the platform's default
 * @param guestMemoryGiB the guest's memory, which sizes the s390 aperture
 * @param fqSize flush-queue entries, or 0 for the mode's default
 * @param fqTimeoutMs flush-queue timeout, or 0 for the mode's default
 * @param costOverrides the {@code --set} values applied to the default costs, kept for the record
 * @param kernel the guest kernel's HZ and IOVA cache choices
 * @param functions zPCI functions attached to the device's domain (s390 with dma-iommu): the
 *     workload's and idle siblings, each of which gets its own RPCIT on every sync and flush
 * @param smmu the SMMUv3's features (range invalidation, ATS); other than the defaults only on
 *     {@code smmuv3}
 * @param faults the failures injected ({@code --fault}), each only where the platform, DMA mode and
 *     workload have the part that fails
 */
public record Scenario(
        PlatformKind platform,
        String hvProfile,
        int guestMemoryGiB,
        InvalidationPolicy dma,
        int fqSize,
        int fqTimeoutMs,
        WorkloadSpec workload,
        int cpus,
        long durationMs,
        long seed,
        Map<String, Long> costOverrides,
        KernelConfig kernel,
        int functions,
        SmmuV3Config smmu,
        Faults faults) {

    /** The most functions one domain takes in this model. */
    public static final int MAX_FUNCTIONS = 256;


    public static final int DEFAULT_GUEST_MEMORY_GIB = Reference.integer("machine", "guestMemoryGiB");
    public static final int DEFAULT_CPUS = Reference.integer("machine", "cpus");
    public static final long DEFAULT_DURATION_MS = Reference.longValue("machine", "durationMs");
    public static final int MAX_CPUS = 1024;

    public Scenario {
        if (guestMemoryGiB < 1 || guestMemoryGiB > 4096) {
            throw new IllegalArgumentException("guest memory " + guestMemoryGiB + " GiB; allowed 1..4096");
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("cpus " + cpus + "; allowed 1.." + MAX_CPUS);
        }
        if (durationMs < 1 || durationMs > 3_600_000) {
            throw new IllegalArgumentException("duration " + durationMs + " ms; allowed 1..3600000");
        }
        if (!dma.runsOn(platform)) {
            throw new IllegalArgumentException("DMA mode " + dma.name() + " does not run on " + platform.cliName()
                    + "; it runs on " + Arrays.stream(PlatformKind.values()).filter(dma::runsOn)
                            .map(PlatformKind::cliName).collect(Collectors.joining(", ")));
        }
        if ((fqSize != 0 || fqTimeoutMs != 0) && !dma.resolve(platform).takesQueueSettings()) {
            throw new IllegalArgumentException("--fq-size and --fq-timeout-ms apply to "
                    + Policies.names(Policies.all().stream().filter(InvalidationPolicy::takesQueueSettings).toList())
                    + ", not to " + dma.resolve(platform).name());
        }
        dma.setup(platform, new QueueSettings(fqSize, fqTimeoutMs)); // a queue size or timeout the policy refuses, refused now
        if (hvProfile != null && platform != PlatformKind.KVM && platform != PlatformKind.ZVM) {
            throw new IllegalArgumentException("--hv-profile applies to kvm or zvm, not to " + platform.cliName());
        }
        if (hvProfile != null) {
            HypervisorProfile profile = HypervisorProfile.byName(hvProfile);
            if (platform == PlatformKind.ZVM && profile != HypervisorProfile.ZVM) {
                throw new IllegalArgumentException("--hv-profile " + hvProfile
                        + " is a KVM/QEMU profile; --platform zvm takes only zvm");
            }
        }
        if (kernel == null) {
            throw new IllegalArgumentException("the kernel configuration is missing; give KernelConfig.DEFAULTS");
        }
        if (functions < 1 || functions > MAX_FUNCTIONS) {
            throw new IllegalArgumentException("--functions " + functions + "; allowed 1.." + MAX_FUNCTIONS);
        }
        if (functions > 1 && (!platform.s390() || !(dma.setup(platform, new QueueSettings(fqSize, fqTimeoutMs))
                instanceof DmaSetup.Iommu))) {
            throw new IllegalArgumentException("--functions applies to s390 platforms under dma-iommu policies, not to "
                    + platform.cliName() + " " + dma.name() + " (the old scheme keeps one DMA table per function)");
        }
        if (smmu == null) {
            throw new IllegalArgumentException("the SMMUv3 configuration is missing; give SmmuV3Config.DEFAULTS");
        }
        if (!smmu.equals(SmmuV3Config.DEFAULTS) && platform != PlatformKind.SMMUV3) {
            throw new IllegalArgumentException("--smmu-range-inv and --ats apply to smmuv3, not to " + platform.cliName());
        }
        if (faults == null) {
            throw new IllegalArgumentException("the fault plan is missing; give Faults.NONE");
        }
        for (FaultKind k : faults.kinds()) {
            String refusal = faultRefusal(k, platform, hvProfile, dma.setup(platform, new QueueSettings(fqSize, fqTimeoutMs)),
                    workload);
            if (refusal != null) {
                throw new IllegalArgumentException("--fault " + k.cliName() + " " + refusal);
            }
        }
        if (faults.iovaSpace() != 0 && faults.iovaSpace() < 2 * 4096
                && dma.setup(platform, new QueueSettings(fqSize, fqTimeoutMs)) instanceof DmaSetup.LegacyS390) {
            throw new IllegalArgumentException("--fault iova-space=" + faults.iovaSpace() / 1024 + "KiB is below what the old"
                    + " scheme's bitmap allocator takes, 2 pages (8KiB)");
        }
        costOverrides = Map.copyOf(costOverrides);
        CostModel.defaults().with(costOverrides); // rejects unknown keys and negative values now
    }

    /** A scenario on the platform's usual {@code CONFIG_HZ}. */
    public Scenario(PlatformKind platform, String hvProfile, int guestMemoryGiB, InvalidationPolicy dma, int fqSize,
            int fqTimeoutMs, WorkloadSpec workload, int cpus, long durationMs, long seed, Map<String, Long> costOverrides) {
        this(platform, hvProfile, guestMemoryGiB, dma, fqSize, fqTimeoutMs, workload, cpus, durationMs, seed,
                costOverrides, KernelConfig.DEFAULTS, 1, SmmuV3Config.DEFAULTS, Faults.NONE);
    }

    /** {@code wanted} without the kinds that cannot be injected into this scenario's machine. */
    public Faults applicableFaults(Faults wanted) {
        Faults out = wanted;
        for (FaultKind k : wanted.kinds()) {
            if (faultRefusal(k, platform, hvProfile, dmaSetup(), workload) != null) {
                out = out.with(k, 0);
            }
        }
        return out;
    }

    /** Why {@code kind} cannot be injected on this machine, or null when it can. */
    private static String faultRefusal(FaultKind kind, PlatformKind platform, String hvProfile, DmaSetup setup,
            WorkloadSpec workload) {
        boolean direct = setup instanceof DmaSetup.Direct;
        return switch (kind) {
            case RPCIT_BUSY, RPCIT_OOR, RPCIT_ERROR -> platform.s390() && !direct ? null
                    : "applies to the s390 platforms (lpar, zvm, kvm) with a DMA layer, not to " + where(platform, setup);
            case HV_DMA_LIMIT -> platform == PlatformKind.KVM && !direct
                    && (hvProfile == null ? HypervisorProfile.DEFAULT : HypervisorProfile.byName(hvProfile)).countsDmaEntries()
                    ? null : "applies to kvm under a profile that counts vfio's DMA entries (not qemu-8.2-iommufd), not to "
                            + where(platform, setup) + (hvProfile == null ? "" : " --hv-profile " + hvProfile);
            case IOVA_SPACE -> direct ? "applies where a DMA layer hands out bus addresses, not to --dma direct" : null;
            case TABLE_ALLOC -> platform != PlatformKind.VIRTIO && !direct ? null
                    : "applies where the guest allocates translation tables (lpar, zvm, kvm, x86, x86-cm, smmuv3), not to "
                            + where(platform, setup);
            case DEVICE_ERROR -> workload.deviceTransfers() ? null
                    : "applies to workloads whose device moves data (fio, netperf), not to " + workload.name();
            case VIRTIO_ERROR -> platform == PlatformKind.VIRTIO && !direct ? null
                    : "applies to virtio, not to " + where(platform, setup);
            case INV_TIMEOUT -> (platform == PlatformKind.X86 || platform == PlatformKind.X86_CM) && !direct ? null
                    : "applies to x86 and x86-cm, not to " + where(platform, setup);
        };
    }

    private static String where(PlatformKind platform, DmaSetup setup) {
        return platform.cliName() + (setup instanceof DmaSetup.Direct ? " --dma direct" : "");
    }

    /** The series' own experiment's workload on a platform and mode, everything else default. */
    public static Scenario defaults(PlatformKind platform, InvalidationPolicy dma) {
        return new Scenario(platform, null, DEFAULT_GUEST_MEMORY_GIB, dma, 0, 0,
                new WorkloadSpec.FioSpec(FioOptions.defaults()), DEFAULT_CPUS, DEFAULT_DURATION_MS, 1, Map.of());
    }

    /** This scenario with another seed. */
    public Scenario withSeed(long otherSeed) {
        return new Scenario(platform, hvProfile, guestMemoryGiB, dma, fqSize, fqTimeoutMs, workload, cpus, durationMs,
                otherSeed, costOverrides, kernel, functions, smmu, faults);
    }

    /**
     * This scenario under another policy with that policy's own queue settings, e.g. a baseline,
     * and those of its faults that still apply (a direct baseline has no RPCIT to fail).
     */
    public Scenario withDma(InvalidationPolicy other) {
        Scenario s = new Scenario(platform, hvProfile, guestMemoryGiB, other, 0, 0, workload, cpus, durationMs, seed,
                costOverrides, kernel, functions, smmu, Faults.NONE);
        return s.withFaults(s.applicableFaults(faults));
    }

    /** This scenario with {@code other} injected instead of its own faults. */
    public Scenario withFaults(Faults other) {
        return Records.with(this, "faults", other);
    }

    /** The user's flush-queue size and timeout. */
    public QueueSettings queueSettings() {
        return new QueueSettings(fqSize, fqTimeoutMs);
    }

    /** How the policy sets up the guest's DMA layer for this run. */
    public DmaSetup dmaSetup() {
        return dma.setup(platform, queueSettings());
    }

    /** The timer wheel the guest kernel's timers fire on. */
    public TimerWheel timerWheel() {
        return kernel.timerWheel(platform);
    }

    /** The costs of this run. */
    public CostModel costs() {
        return CostModel.defaults().with(costOverrides);
    }

    /**
     * The configuration as recorded in a result, with what the machine resolved: the hypervisor
     * profile and the flush queues' size and timeout (null where there is no profile or queue).
     * Cost overrides are a list of {@code key=ns}, so that every result has the same keys.
     */
    public Map<String, Object> describe(String resolvedProfile, DmaIommuOptions queues) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("platform", platform.cliName());
        out.put("hvProfile", resolvedProfile);
        out.put("guestMemoryGiB", guestMemoryGiB);
        out.put("dma", dma.name());
        out.put("dmaResolved", dma.resolve(platform).name());
        out.put("fqSize", queues == null ? null : queues.fqSize());
        out.put("fqTimeoutMs", queues == null ? null : queues.fqTimeoutMs());
        out.put("workload", workload.name());
        out.put("workloadOptions", workload.describe());
        out.put("cpus", cpus);
        out.put("durationMs", durationMs);
        out.put("seed", seed);
        out.put("hz", timerWheel().hz());
        out.put("rcacheMaxOrder", kernel.rcacheMaxOrder());
        out.put("optSizeCap", kernel.optSizeCap() ? "on" : "off");
        out.put("functions", functions);
        out.put("smmuRangeInv", smmu.rangeInvalidation() ? "on" : "off");
        out.put("ats", smmu.ats() ? "on" : "off");
        out.put("faults", faults.toString());
        List<String> overrides = new ArrayList<>();
        new TreeMap<>(costOverrides).forEach((key, ns) -> overrides.add(key + "=" + ns));
        out.put("costOverrides", overrides);
        return out;
    }
}
