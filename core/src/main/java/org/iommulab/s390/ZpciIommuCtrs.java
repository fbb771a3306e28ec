package org.iommulab.s390;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code struct zpci_iommu_ctrs}: the IOMMU counters debugfs shows in {@code pci/<fid>/statistics}
 * (arch/s390/pci/pci_debug.c), under the same names. In v6.7 they belong to the s390 domain; the
 * old pci_dma.c kept them per function ({@code zdev->iommu_stats}).
 */
public final class ZpciIommuCtrs {

    private final AtomicLong mappedPages = new AtomicLong();
    private final AtomicLong unmappedPages = new AtomicLong();
    private final AtomicLong globalRpcits = new AtomicLong();
    private final AtomicLong syncMapRpcits = new AtomicLong();
    private final AtomicLong syncRpcits = new AtomicLong();

    public void addMappedPages(long n) {
        mappedPages.addAndGet(n);
    }

    public void addUnmappedPages(long n) {
        unmappedPages.addAndGet(n);
    }

    public void incGlobalRpcits() {
        globalRpcits.incrementAndGet();
    }

    public void incSyncMapRpcits() {
        syncMapRpcits.incrementAndGet();
    }

    public void incSyncRpcits() {
        syncRpcits.incrementAndGet();
    }

    public long mappedPages() {
        return mappedPages.get();
    }

    public long unmappedPages() {
        return unmappedPages.get();
    }

    public long globalRpcits() {
        return globalRpcits.get();
    }

    public long syncMapRpcits() {
        return syncMapRpcits.get();
    }

    public long syncRpcits() {
        return syncRpcits.get();
    }

    /** The counters in debugfs order, by their debugfs names. */
    public Map<String, Long> debugfs() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("Mapped pages", mappedPages());
        m.put("Unmapped pages", unmappedPages());
        m.put("Global RPCITs", globalRpcits());
        m.put("Sync Map RPCITs", syncMapRpcits());
        m.put("Sync RPCITs", syncRpcits());
        return m;
    }
}
