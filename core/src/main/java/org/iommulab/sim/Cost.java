package org.iommulab.sim;

import java.util.Locale;
import org.iommulab.config.Reference;

/**
 * Every time cost of the model by its key. Its default, the category its time is booked to and
 * the source of the default are read from the reference configuration
 * ({@link Reference#RESOURCE}), which must name exactly these keys. Values are in nanoseconds per
 * unit of work. Defaults marked "assumption" have no published figure (see docs/costs.md); every
 * one can be overridden with {@code --set key=value}.
 */
public enum Cost {
    // Driver and DMA layer
    BLOCK_SUBMIT_COMPLETE("driver.blockSubmitCompleteNs"),
    NET_PACKET("driver.netPacketNs"),
    MAPBENCH_LOOP("mapbench.loopNs"),
    MAPBENCH_LOOP_JITTER("mapbench.loopJitterNs"),
    DMA_MAP_CALL("dma.mapCallNs"),
    DMA_UNMAP_CALL("dma.unmapCallNs"),
    FQ_ENTRY("dma.fqEntryNs"),
    SPIN_LOCK("sim.spinLockNs"),
    LOCK_LINE_TRANSFER("sim.lockLineTransferNs"),

    // IOVA allocation
    IOVA_RCACHE_OP("iova.rcacheOpNs"),
    IOVA_RBTREE_NODE("iova.rbtreeNodeNs"),
    LEGACY_BITMAP_WORD("iova.legacyBitmapWordNs"),

    // Translation tables
    PTE_WRITE("pt.pteWriteNs"),
    PT_WALK("pt.walkNs"),
    TABLE_INSTALL("pt.tableInstallNs"),
    TABLE_ALLOC_CRST("pt.crstAllocNs"),
    TABLE_ALLOC_PT("pt.ptAllocNs"),

    // Flushes as the guest issues them
    RPCIT_LPAR("s390.lparRpcitNs"),
    RPCIT_BUSY_DELAY("s390.rpcitBusyDelayNs"),

    // Shadowing hypervisors (KVM/QEMU; z/VM profile has its own keys)
    KVM_RPCIT_EXIT("kvm.rpcitExitNs"),
    KVM_RPCIT_LOCKED("kvm.rpcitLockedNs"),
    KVM_BQL_HANDOFF("kvm.bqlHandoffNs"),
    KVM_WALK_PAGE("kvm.walkPageNs"),
    KVM_SHADOW_LOOKUP("kvm.shadowLookupNs"),
    KVM_HOST_MAP("kvm.hostMapNs"),
    KVM_HOST_UNMAP("kvm.hostUnmapNs"),
    KVM_HOST_UNMAP_PAGE("kvm.hostUnmapPageNs"),
    KVM_HOST_EMPTY_UNMAP("kvm.hostEmptyUnmapNs"),
    KVM_PCI_STORE("kvm.pciStoreNs"),
    ZVM_RPCIT_EXIT("zvm.rpcitExitNs"),
    ZVM_RPCIT_LOCKED("zvm.rpcitLockedNs"),
    ZVM_SEGMENT_SCAN("zvm.segmentScanNs"),
    ZVM_ENTRY_VALID("zvm.entryValidNs"),
    ZVM_ENTRY_INVALID("zvm.entryInvalidNs"),
    ZVM_HW_FLUSH("zvm.hwFlushNs"),

    // virtio-iommu and x86
    VIRTIO_KICK("virtio.kickNs"),
    VIRTIO_REQUEST("virtio.requestNs"),
    VTD_INV_WAIT("x86.invWaitNs"),
    VTD_INV_TIMEOUT("x86.invTimeoutNs"),
    VIRTIO_HOST_MAP("virtio.hostMapNs"),
    VIRTIO_HOST_UNMAP("virtio.hostUnmapNs"),
    X86_INV_DESC("x86.invDescNs"),
    VTD_EXIT("vtd.exitNs"),
    VTD_INV_LOCKED("vtd.invLockedNs"),
    VTD_WALK_ENTRY("vtd.walkEntryNs"),
    X86_TABLE_ALLOC("x86.tableAllocNs"),

    // Arm SMMUv3 (docs/platforms/smmuv3.md)
    SMMU_CMDQ_ATOMIC("smmu.cmdqAtomicNs"),
    SMMU_CMD_WRITE("smmu.cmdWriteNs"),
    SMMU_PROD_WRITE("smmu.prodWriteNs"),
    SMMU_CMD_EXEC("smmu.cmdExecNs"),
    SMMU_SYNC("smmu.syncNs"),
    SMMU_ATC_INV("smmu.atcInvNs"),
    SMMU_TABLE_ALLOC("smmu.tableAllocNs"),

    // Device side
    DEVICE_IOTLB_MISS("device.iotlbMissNs"),
    NVME_READ_LATENCY("nvme.readLatencyNs"),
    NVME_WRITE_LATENCY("nvme.writeLatencyNs"),
    NVME_LATENCY_JITTER("nvme.latencyJitterNs"),
    NVME_COMMAND("nvme.commandNs"),
    NVME_PAGE_TRANSFER("nvme.pageTransferNs"),
    NVME_FAST_READ_LATENCY("nvmeFast.readLatencyNs"),
    NVME_FAST_WRITE_LATENCY("nvmeFast.writeLatencyNs"),
    NVME_FAST_LATENCY_JITTER("nvmeFast.latencyJitterNs"),
    NVME_FAST_COMMAND("nvmeFast.commandNs"),
    NVME_FAST_PAGE_TRANSFER("nvmeFast.pageTransferNs"),
    NIC_ARRIVAL_JITTER("nic.arrivalJitterNs");

    private final String key;
    private final long defaultNs;
    private final CostCategory category;
    private final String source;

    Cost(String key) {
        this.key = key;
        this.defaultNs = Reference.longValue("costs", key, "ns");
        this.category = CostCategory.valueOf(Reference.text("costs", key, "category").toUpperCase(Locale.ROOT));
        this.source = Reference.text("costs", key, "source");
    }

    /** The name used by {@code --set key=value} and {@code iommu-lab params}. */
    public String key() {
        return key;
    }

    /** Always nanoseconds per unit of work. */
    public String unit() {
        return "ns";
    }

    public long defaultNs() {
        return defaultNs;
    }

    public CostCategory category() {
        return category;
    }

    public String source() {
        return source;
    }

    /** Whether no published figure backs the default (its source says "assumption"). */
    public boolean assumption() {
        return source.startsWith("assumption");
    }
}
