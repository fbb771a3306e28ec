package org.iommulab.arm;

/**
 * One command in the SMMU's command queue, reduced to what the model decides with: its opcode,
 * the ASID it applies to and the pages it covers (arm-smmu-v3.h, {@code struct arm_smmu_cmdq_ent};
 * formats in the SMMUv3 architecture, Arm IHI 0070, section 4).
 *
 * @param firstPfn the first IOVA page frame covered (TLBI_NH_VA, ATC_INV)
 * @param pages the pages covered: 1 for a per-page TLBI_NH_VA, {@code num << scale} for a range
 *     command, the aligned span for an ATC_INV; 0 for commands that cover no range
 */
public record CmdqCommand(Op op, int asid, long firstPfn, long pages) {

    /** The opcodes the DMA paths send. */
    public enum Op {
        /** Invalidate a page, or a range with range invalidation, of one ASID. */
        TLBI_NH_VA,
        /** Invalidate every entry of one ASID: {@code flush_iotlb_all}. */
        TLBI_NH_ASID,
        /** Invalidate a range of a device's ATC, an ATS round trip to the device. */
        ATC_INV,
        /** Complete every command before it; the CPU waits for it. */
        CMD_SYNC
    }

    static CmdqCommand tlbiVa(int asid, long firstPfn, long pages) {
        return new CmdqCommand(Op.TLBI_NH_VA, asid, firstPfn, pages);
    }

    static CmdqCommand tlbiAsid(int asid) {
        return new CmdqCommand(Op.TLBI_NH_ASID, asid, 0, 0);
    }

    static CmdqCommand atcInv(int asid, long firstPfn, long pages) {
        return new CmdqCommand(Op.ATC_INV, asid, firstPfn, pages);
    }
}
