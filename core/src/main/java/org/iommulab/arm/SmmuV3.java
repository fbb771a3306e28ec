package org.iommulab.arm;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.iommulab.fault.FaultInjector;
import org.iommulab.iommu.IommuCap;
import org.iommulab.iommu.IommuDriver;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.ReservedRegion;
import org.iommulab.kernel.Device;
import org.iommulab.pgtable.TaggedIotlb;
import org.iommulab.sim.Engine;

/**
 * An Arm SMMUv3 on bare metal ({@code arm_smmu_ops}, drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c,
 * v6.7): one SMMU with a TLB and one command queue, stage-1 paging domains that each get an ASID.
 * New mappings need no invalidation (the driver has no {@code iotlb_sync_map}); unmaps are
 * invalidated by VA in {@code iotlb_sync} and by ASID in {@code flush_iotlb_all}, each through the
 * command queue and a CMD_SYNC. It can defer flushes, so dma-iommu gives its devices flush queues.
 *
 * <p>Left out: stage 2 and nesting, the stream table and context descriptors (set up once, not on
 * any measured path), ECMDQ and NVIDIA's CMDQV, the event and PRI queues, block mappings.
 */
public final class SmmuV3 implements IommuDriver {

    private final SmmuV3Config config;
    private final TaggedIotlb tlb;
    private final TaggedIotlb atc;
    private final SmmuCmdq cmdq;
    private final IommuTrace tracker;
    private final AtomicInteger nextAsid = new AtomicInteger(1);
    private final FaultInjector faults;

    /**
     * @param tracker where unmapped pages and their invalidations are reported, or null for none;
     *     one tracker measures the windows of one domain (its page frames are IOVA page frames)
     */
    public SmmuV3(Engine engine, SmmuV3Config config, IommuTrace tracker) {
        this(engine, config, tracker, FaultInjector.NONE);
    }

    /** @param faults the table allocations that fail */
    public SmmuV3(Engine engine, SmmuV3Config config, IommuTrace tracker, FaultInjector faults) {
        this.faults = faults;
        this.config = config;
        this.tlb = new TaggedIotlb(config.tlbEntries());
        this.atc = config.ats() ? new TaggedIotlb(config.tlbEntries()) : null;
        this.cmdq = new SmmuCmdq(engine, tlb, atc);
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
        engine.metrics().unit("smmu")
                .counter("tlbiVa", () -> cmdq.issued(CmdqCommand.Op.TLBI_NH_VA))
                .counter("tlbiAsid", () -> cmdq.issued(CmdqCommand.Op.TLBI_NH_ASID))
                .counter("atcInv", () -> cmdq.issued(CmdqCommand.Op.ATC_INV))
                .counter("cmdSyncs", () -> cmdq.issued(CmdqCommand.Op.CMD_SYNC))
                .counter("cmdlists", cmdq::cmdlists)
                .counter("tlbHits", tlb::hits)
                .counter("tlbMisses", tlb::misses);
    }

    FaultInjector faults() {
        return faults;
    }

    @Override
    public String name() {
        return "arm-smmu-v3";
    }

    @Override
    public boolean capable(Device dev, IommuCap cap) {
        return switch (cap) {
            case CACHE_COHERENCY, DEFERRED_FLUSH -> true;
        };
    }

    @Override
    public int probeDevice(Device dev) {
        return 0;
    }

    @Override
    public SmmuDomain domainAllocPaging(Device dev) {
        return new SmmuDomain(this, nextAsid.getAndIncrement());
    }

    @Override
    public List<ReservedRegion> getResvRegions(Device dev) {
        return List.of(ReservedRegion.SOFTWARE_MSI);
    }

    @Override
    public boolean supportsIdentity(Device dev) {
        return true;
    }

    /** Commands executed and TLB use so far. */
    public SmmuV3Stats stats() {
        return new SmmuV3Stats(
                cmdq.issued(CmdqCommand.Op.TLBI_NH_VA),
                cmdq.issued(CmdqCommand.Op.TLBI_NH_ASID),
                cmdq.issued(CmdqCommand.Op.ATC_INV),
                cmdq.issued(CmdqCommand.Op.CMD_SYNC),
                cmdq.cmdlists(),
                tlb.hits(),
                tlb.misses());
    }

    SmmuV3Config config() {
        return config;
    }

    TaggedIotlb tlb() {
        return tlb;
    }

    /** The device's ATC, or null without ATS. */
    TaggedIotlb atc() {
        return atc;
    }

    SmmuCmdq cmdq() {
        return cmdq;
    }

    IommuTrace tracker() {
        return tracker;
    }
}
