package org.iommulab.platform.shadow;

/**
 * What a shadowing hypervisor did, summed over all functions: the work its cost follows from.
 *
 * @param exits RPCITs intercepted and handled
 * @param pciStores PCI stores intercepted and handled (profiles without load/store interpretation)
 * @param pagesWalked 4 KiB pages whose page-table entry the walk read
 * @param guestTableLoads 8-byte loads of guest translation-table entries (1 to 3 per walk)
 * @param shadowLookups shadow lookups, one per 4 KiB page of every walked range, valid or not
 * @param hostMaps host map calls, one page each
 * @param hostUnmapCalls host unmap calls, one page or power-of-two chunk each (z/VM: hardware
 *     flushes, one per resync that dropped entries)
 * @param hostUnmapPages shadowed pages those calls unmapped
 * @param emptyHostUnmapCalls host unmap calls that found nothing mapped (coalesced runs of
 *     invalid PTEs that were never shadowed)
 * @param skippedMaps valid pages left unprocessed because no DMA entry was left (QEMU checks the count before the lookup, so unchanged pages count too)
 * @param secondPasses extra walks of a range after unmaps freed DMA entries
 * @param insufficientResources RPCITs answered with cc 1, status 16
 * @param shadowEntries shadowed pages now
 * @param peakShadowEntries the most shadowed pages at any time
 */
public record HypervisorStats(
        long exits,
        long pciStores,
        long pagesWalked,
        long guestTableLoads,
        long shadowLookups,
        long hostMaps,
        long hostUnmapCalls,
        long hostUnmapPages,
        long emptyHostUnmapCalls,
        long skippedMaps,
        long secondPasses,
        long insufficientResources,
        long shadowEntries,
        long peakShadowEntries) {}
