package org.iommulab.arm;

/**
 * What an SMMUv3 has done so far.
 *
 * @param tlbiVa TLBI_NH_VA commands, per page or per range
 * @param tlbiAsid TLBI_NH_ASID commands
 * @param atcInv ATC_INV commands
 * @param syncs CMD_SYNC commands, one per batch submitted
 * @param cmdlists command lists published, with or without a sync
 */
public record SmmuV3Stats(long tlbiVa, long tlbiAsid, long atcInv, long syncs, long cmdlists, long tlbHits,
        long tlbMisses) {}
