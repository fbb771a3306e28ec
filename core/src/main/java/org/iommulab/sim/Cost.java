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
    KVM_RPCIT_EXIT("kvm.rpcitExitNs", 10000, CostCategory.HYPERVISOR,
            "assumption: SIE intercept, exit to QEMU, BQL, register sync, re-entry, 5-15 us (KVM_RUN round trip ~2,530 cycles, LKML Dec 2020)"),
    KVM_WALK_PAGE("kvm.walkPageNs", 60, CostCategory.HYPERVISOR,
            "assumption: up to 3 guest-memory loads per 4 KiB page in a valid page table, 30-100 ns (docs/sources.md)"),
    KVM_SHADOW_LOOKUP("kvm.shadowLookupNs", 30, CostCategory.HYPERVISOR,
            "assumption: one GHashTable lookup per 4 KiB page of the refreshed range, 20-50 ns (docs/sources.md)"),
    KVM_HOST_MAP("kvm.hostMapNs", 2000, CostCategory.HYPERVISOR,
            "assumption: VFIO_IOMMU_MAP_DMA of one page (pin + host iommu_map), 1-3 us (docs/sources.md)"),
    KVM_HOST_UNMAP("kvm.hostUnmapNs", 3000, CostCategory.HYPERVISOR,
            "assumption: VFIO_IOMMU_UNMAP_DMA of one chunk (unpin + unmap + host IOTLB flush), 2-5 us (docs/sources.md)"),
    ZVM_RPCIT_EXIT("zvm.rpcitExitNs", 15000, CostCategory.HYPERVISOR,
            "assumption: z/VM internals are not public; same interface as KVM, upper end of its range"),
    ZVM_WALK_PAGE("zvm.walkPageNs", 60, CostCategory.HYPERVISOR,
            "assumption: as kvm.walkPageNs"),
    ZVM_SHADOW_LOOKUP("zvm.shadowLookupNs", 30, CostCategory.HYPERVISOR,
            "assumption: as kvm.shadowLookupNs"),
    ZVM_HOST_MAP("zvm.hostMapNs", 2000, CostCategory.HYPERVISOR,
            "assumption: as kvm.hostMapNs"),
    ZVM_HOST_UNMAP("zvm.hostUnmapNs", 3000, CostCategory.HYPERVISOR,
            "assumption: as kvm.hostUnmapNs"),

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
    X86_TABLE_ALLOC("x86.tableAllocNs", 1000, CostCategory.PAGE_TABLE,
            "assumption: allocating and zeroing one 4 KiB VT-d table page, 1-2 us like the s390 tables (docs/sources.md)"),

    // Device side
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
    NIC_WIRE_KIB("nic.wireKiBNs", 328, CostCategory.DEVICE,
            "assumption: a 25 Gb/s port, a common data-centre NIC speed: 8192 bits / 25 Gb/s = 328 ns per KiB"),
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
