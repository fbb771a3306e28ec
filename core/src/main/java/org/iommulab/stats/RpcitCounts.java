package org.iommulab.stats;

import java.util.Map;

/**
 * The s390 IOMMU statistics (arch/s390/pci/pci_debug.c "statistics": Global RPCITs, Sync Map
 * RPCITs, Sync RPCITs) plus the flushes forced by out-of-resource RPCIT completions.
 */
public record RpcitCounts(long global, long syncMap, long sync, long outOfResource) {

    /** A platform that issues no RPCITs. */
    public static final RpcitCounts NONE = new RpcitCounts(0, 0, 0, 0);
}
