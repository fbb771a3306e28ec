package org.iommulab.sim;

/**
 * Every time cost of the model, with its unit, default and the source of that default: the
 * reference configuration in one place. Values are in nanoseconds per unit of work. Defaults
 * marked "assumption" have no published figure (see docs/costs.md); every one can be overridden
 * with {@code --set key=value}.
 */
public enum Cost {
    // Driver and DMA layer
    BLOCK_SUBMIT_COMPLETE("driver.blockSubmitCompleteNs", 3000, CostCategory.DRIVER,
            "assumption: block driver submit + completion per I/O, 2-5 us (docs/sources.md)"),
    NET_PACKET("driver.netPacketNs", 1500, CostCategory.DRIVER,
            "assumption: NIC driver work per packet"),
    MAPBENCH_LOOP("mapbench.loopNs", 100, CostCategory.DRIVER,
            "assumption: dma_map_benchmark loop work outside the two DMA calls: four ktime_get() and five atomic64 adds on shared counters"),
    MAPBENCH_LOOP_JITTER("mapbench.loopJitterNs", 50, CostCategory.DRIVER,
            "assumption: each loop starts up to this much later (interrupts, cache misses), drawn from the run's seed"),
    DMA_MAP_CALL("dma.mapCallNs", 150, CostCategory.DMA,
            "assumption: dma-iommu map path outside IOVA and page tables; dma_map_benchmark map ~1.1 us in all"),
    DMA_UNMAP_CALL("dma.unmapCallNs", 100, CostCategory.DMA,
            "assumption: dma-iommu unmap path outside IOVA, tables and flush; dma_map_benchmark unmap ~0.5 us in all"),
    FQ_ENTRY("dma.fqEntryNs", 10, CostCategory.DMA,
            "assumption: queueing or freeing one flush-queue entry"),
    SPIN_LOCK("sim.spinLockNs", 20, CostCategory.DMA,
            "assumption: one uncontended spinlock acquire and release"),
    LOCK_LINE_TRANSFER("sim.lockLineTransferNs", 100, CostCategory.DMA,
            "assumption: a spinlock last held on another CPU: its cache line (and the data it guards) moves to this one, tens of ns within a chip to a few hundred across drawers"),

    // IOVA allocation
    IOVA_RCACHE_OP("iova.rcacheOpNs", 30, CostCategory.IOVA,
            "assumption: rcache pop or push under a per-CPU lock, tens of ns (docs/sources.md)"),
    IOVA_RBTREE_NODE("iova.rbtreeNodeNs", 50, CostCategory.IOVA,
            "assumption: one rbtree node visited, a likely cache miss, 20-100 ns (docs/sources.md)"),
    LEGACY_BITMAP_WORD("iova.legacyBitmapWordNs", 2, CostCategory.IOVA,
            "assumption: one 64-bit bitmap word scanned by the legacy next-fit search"),

    // Translation tables
    PTE_WRITE("pt.pteWriteNs", 10, CostCategory.PAGE_TABLE,
            "assumption: one PTE exchange (docs/sources.md)"),
    PT_WALK("pt.walkNs", 30, CostCategory.PAGE_TABLE,
            "assumption: iommu_iova_to_phys, one walk of the translation table (3-4 levels, usually cached), 10-50 ns"),
    TABLE_INSTALL("pt.tableInstallNs", 20, CostCategory.PAGE_TABLE,
            "assumption: one compare-and-set of a table entry (docs/sources.md)"),
    TABLE_ALLOC_CRST("pt.crstAllocNs", 2000, CostCategory.PAGE_TABLE,
            "assumption: allocating and clearing a 16 KiB region or segment table, 1-2 us (docs/sources.md)"),
    TABLE_ALLOC_PT("pt.ptAllocNs", 1000, CostCategory.PAGE_TABLE,
            "assumption: allocating and clearing a 2 KiB page table, 1-2 us (docs/sources.md)"),

    // Flushes as the guest issues them
    RPCIT_LPAR("s390.lparRpcitNs", 2000, CostCategory.FLUSH,
            "assumption: RPCIT executed by LPAR firmware, global or ranged, 1-3 us (docs/sources.md)"),
    RPCIT_BUSY_DELAY("s390.rpcitBusyDelayNs", 1000, CostCategory.FLUSH,
            "zpci_refresh_trans retries a busy RPCIT after udelay(1) (arch/s390/pci/pci_insn.c)"),

    // Shadowing hypervisors (KVM/QEMU; z/VM profile has its own keys)
    KVM_RPCIT_EXIT("kvm.rpcitExitNs", 5000, CostCategory.HYPERVISOR,
            "assumption: the part of an RPCIT intercept outside the BQL, in parallel on each vCPU: SIE exit, return from KVM_RUN to QEMU, registers put back, re-entry (accel/kvm/kvm-all.c kvm_cpu_exec); several bare KVM_RUN round trips of ~2,530 cycles (LKML Dec 2020), 3-8 us"),
    KVM_RPCIT_LOCKED("kvm.rpcitLockedNs", 2000, CostCategory.HYPERVISOR,
            "assumption: the fixed part of an RPCIT under the BQL: kvm_cpu_synchronize_state, the intercept decode and rpcit_service_call's checks (target/s390x/kvm/kvm.c kvm_arch_handle_exit takes the BQL first; s390 reads most registers from the shared kvm_run area), 1-5 us"),
    KVM_BQL_HANDOFF("kvm.bqlHandoffNs", 2000, CostCategory.HYPERVISOR,
            "assumption: a contended BQL (a pthread mutex) passes to a sleeping waiter only after a futex wake and a context switch of its vCPU thread, 1-5 us (a wake-up is half a futex or pipe ping-pong round trip)"),
    KVM_WALK_PAGE("kvm.walkPageNs", 60, CostCategory.HYPERVISOR,
            "assumption: up to 3 guest-memory loads per 4 KiB page in a valid page table, 30-100 ns (docs/sources.md)"),
    KVM_SHADOW_LOOKUP("kvm.shadowLookupNs", 30, CostCategory.HYPERVISOR,
            "assumption: one GHashTable lookup per 4 KiB page of the refreshed range, 20-50 ns (docs/sources.md)"),
    KVM_HOST_MAP("kvm.hostMapNs", 2000, CostCategory.HYPERVISOR,
            "assumption: VFIO_IOMMU_MAP_DMA of one page (pin + host iommu_map), 1-3 us (docs/sources.md)"),
    KVM_HOST_UNMAP("kvm.hostUnmapNs", 2500, CostCategory.HYPERVISOR,
            "assumption: one VFIO_IOMMU_UNMAP_DMA call that finds mappings: the ioctl, the vfio_dma search and the host IOTLB flush, one RPCIT of the host LPAR (s390.lparRpcitNs), 1.5-4 us"),
    KVM_HOST_UNMAP_PAGE("kvm.hostUnmapPageNs", 250, CostCategory.HYPERVISOR,
            "assumption: unpinning and unmapping one 4 KiB page within a VFIO_IOMMU_UNMAP_DMA call (put_page, PTE clear, accounting), 100-500 ns"),
    KVM_HOST_EMPTY_UNMAP("kvm.hostEmptyUnmapNs", 500, CostCategory.HYPERVISOR,
            "assumption: a VFIO_IOMMU_UNMAP_DMA call over a range with nothing mapped: the ioctl and the vfio_dma search, no unpin and no flush, 0.3-1 us"),
    KVM_PCI_STORE("kvm.pciStoreNs", 2000, CostCategory.HYPERVISOR,
            "assumption: an intercepted PCI store (a doorbell) under the BQL without zPCI interpretation: pcistg_service_call, the memory-region dispatch and the vfio region write, a pwrite on the device fd, 1-3 us"),
    ZVM_RPCIT_EXIT("zvm.rpcitExitNs", 5000, CostCategory.HYPERVISOR,
            "assumption: z/VM internals are not public; the part of an RPCIT intercept outside z/VM's serialisation, as kvm.rpcitExitNs"),
    ZVM_RPCIT_LOCKED("zvm.rpcitLockedNs", 2161, CostCategory.HYPERVISOR,
            "assumption, calibrated to the series' statements (calibration/zvm-series-statements.yaml): the fixed part of an RPCIT under z/VM's one global serialisation"),
    ZVM_SEGMENT_SCAN("zvm.segmentScanNs", 331, CostCategory.HYPERVISOR,
            "assumption, calibrated to the series' statements (calibration/zvm-series-statements.yaml): z/VM checking one 1 MiB segment of the refreshed range for changes, valid or not, with no per-page step"),
    ZVM_ENTRY_VALID("zvm.entryValidNs", 2000, CostCategory.HYPERVISOR,
            "assumption: z/VM shadowing one newly valid guest entry: pin the page and write the shadow entry, as kvm.hostMapNs"),
    ZVM_ENTRY_INVALID("zvm.entryInvalidNs", 500, CostCategory.HYPERVISOR,
            "assumption: z/VM dropping one newly invalid guest entry: clear the shadow entry and unpin the page"),
    ZVM_HW_FLUSH("zvm.hwFlushNs", 2000, CostCategory.HYPERVISOR,
            "assumption: z/VM's own RPCIT to the hardware after a resync that invalidated entries, as s390.lparRpcitNs"),

    // virtio-iommu and x86
    VIRTIO_KICK("virtio.kickNs", 5000, CostCategory.HYPERVISOR,
            "assumption: virtqueue kick, VM exit to the VMM and busy-wait for completion (docs/sources.md)"),
    VIRTIO_REQUEST("virtio.requestNs", 200, CostCategory.FLUSH,
            "assumption: building and queueing one MAP/UNMAP request"),
    VTD_INV_WAIT("x86.invWaitNs", 1000, CostCategory.FLUSH,
            "assumption: queued invalidation with a wait descriptor; no published figure (docs/sources.md)"),
    VIRTIO_HOST_MAP("virtio.hostMapNs", 2000, CostCategory.HYPERVISOR,
            "assumption: one VFIO_IOMMU_MAP_DMA per power-of-two piece of a MAP request, as kvm.hostMapNs, 1-3 us (docs/sources.md)"),
    VIRTIO_HOST_UNMAP("virtio.hostUnmapNs", 3000, CostCategory.HYPERVISOR,
            "assumption: one VFIO_IOMMU_UNMAP_DMA per power-of-two piece of an UNMAP request, as kvm.hostUnmapNs, 2-5 us (docs/sources.md)"),
    X86_INV_DESC("x86.invDescNs", 50, CostCategory.FLUSH,
            "assumption: writing one 128-bit descriptor into the invalidation queue and moving its tail register"),
    VTD_EXIT("vtd.exitNs", 5000, CostCategory.HYPERVISOR,
            "assumption: the guest's write of the invalidation-queue tail under caching mode: an MMIO exit to QEMU and back, in parallel on each vCPU, as kvm.rpcitExitNs"),
    VTD_INV_LOCKED("vtd.invLockedNs", 2000, CostCategory.HYPERVISOR,
            "assumption: the fixed part of QEMU's queued-invalidation handling under the BQL (vtd_mem_write, fetching the descriptors, the wait descriptor's status write), as kvm.rpcitLockedNs"),
    VTD_WALK_ENTRY("vtd.walkEntryNs", 20, CostCategory.HYPERVISOR,
            "assumption: one guest table entry read by QEMU's vtd_page_walk (a guest-memory load), 10-50 ns"),
    X86_TABLE_ALLOC("x86.tableAllocNs", 1000, CostCategory.PAGE_TABLE,
            "assumption: allocating and zeroing one 4 KiB VT-d table page, 1-2 us like the s390 tables (docs/sources.md)"),

    // Arm SMMUv3 (docs/platforms/smmuv3.md)
    SMMU_CMDQ_ATOMIC("smmu.cmdqAtomicNs", 20, CostCategory.FLUSH,
            "assumption: one atomic on a command-queue word all CPUs share (the cmpxchg that reserves slots on the producer index, the shared lock's increment or decrement), 10-50 ns when the line is here; a line last written by another CPU adds sim.lockLineTransferNs"),
    SMMU_CMD_WRITE("smmu.cmdWriteNs", 10, CostCategory.FLUSH,
            "assumption: writing one 16-byte command into its queue slot and marking it valid"),
    SMMU_PROD_WRITE("smmu.prodWriteNs", 200, CostCategory.FLUSH,
            "assumption: the owner's write of the queue's PROD register behind a barrier (an MMIO write to the SMMU), 100-500 ns"),
    SMMU_CMD_EXEC("smmu.cmdExecNs", 50, CostCategory.FLUSH,
            "assumption: the SMMU consuming one TLB invalidation command (TLBI_NH_VA, a range or TLBI_NH_ASID); the architecture specifies the commands, not their speed (Arm IHI 0070, SMMUv3 section 4.4)"),
    SMMU_SYNC("smmu.syncNs", 500, CostCategory.FLUSH,
            "assumption: a CMD_SYNC from its consumption to the completion the CPU polls for: the SMMU waits for the invalidations before it and for translations in flight, then writes the completion (an MSI to memory), 0.2-1 us; no published figure (reference/hypervisor.md)"),
    SMMU_ATC_INV("smmu.atcInvNs", 1500, CostCategory.FLUSH,
            "assumption: one ATC_INV: an ATS invalidation request to the device and its completion message back over PCIe, which the following CMD_SYNC waits for, 1-2 us (PCIe round trips)"),
    SMMU_TABLE_ALLOC("smmu.tableAllocNs", 1000, CostCategory.PAGE_TABLE,
            "assumption: allocating and zeroing one 4 KiB io-pgtable-arm table page, as x86.tableAllocNs"),

    // Device side
    DEVICE_IOTLB_MISS("device.iotlbMissNs", 656, CostCategory.DEVICE,
            "a device-side IOTLB miss: ~65 ns plus 3 memory reads of ~197 ns (Rubin et al., \"Fast & Safe IO Memory Protection\", SOSP 2024: 1.8-4.4 reads per 4 KiB translation)"),
    NVME_READ_LATENCY("nvme.readLatencyNs", 80_000, CostCategory.DEVICE,
            "NVMe 4 KiB random read on NAND flash ~80 us (vendor data sheets)"),
    NVME_WRITE_LATENCY("nvme.writeLatencyNs", 20_000, CostCategory.DEVICE,
            "assumption: a write completes once in the drive's write cache; data sheets list 10-30 us"),
    NVME_LATENCY_JITTER("nvme.latencyJitterNs", 8000, CostCategory.DEVICE,
            "assumption: each command's media latency is longer by up to this much (10% of the read latency), drawn from the run's seed"),
    NVME_COMMAND("nvme.commandNs", 1000, CostCategory.DEVICE,
            "NVMe ceiling ~1 M IOPS per drive (vendor data sheets): one command per 1000 ns"),
    NVME_PAGE_TRANSFER("nvme.pageTransferNs", 820, CostCategory.DEVICE,
            "NVMe ceiling 3-7 GB/s per drive (vendor data sheets): 4 KiB per 820 ns is 5 GB/s"),
    NVME_FAST_READ_LATENCY("nvmeFast.readLatencyNs", 10_000, CostCategory.DEVICE,
            "low-latency flash 4 KiB random read ~10 us (vendor data sheets)"),
    NVME_FAST_WRITE_LATENCY("nvmeFast.writeLatencyNs", 10_000, CostCategory.DEVICE,
            "assumption: as the read; data sheets of low-latency flash list similar read and write latencies"),
    NVME_FAST_LATENCY_JITTER("nvmeFast.latencyJitterNs", 1000, CostCategory.DEVICE,
            "assumption: 10% of the read latency, as nvme.latencyJitterNs"),
    NVME_FAST_COMMAND("nvmeFast.commandNs", 100, CostCategory.DEVICE,
            "assumption: a ~10 M IOPS ceiling, a device (or a set of drives behind one function) fast enough that the host's DMA path, not the device, bounds a run"),
    NVME_FAST_PAGE_TRANSFER("nvmeFast.pageTransferNs", 100, CostCategory.DEVICE,
            "assumption: ~40 GB/s, so 4 KiB transfers do not bound the ~10 M IOPS"),
    NIC_ARRIVAL_JITTER("nic.arrivalJitterNs", 500, CostCategory.DEVICE,
            "assumption: frames reach a receive queue up to this much off the line-rate schedule (uneven RSS), drawn from the run's seed");

    private final String key;
    private final long defaultNs;
    private final CostCategory category;
    private final String source;

    Cost(String key, long defaultNs, CostCategory category, String source) {
        this.key = key;
        this.defaultNs = defaultNs;
        this.category = category;
        this.source = source;
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
