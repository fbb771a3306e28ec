package org.iommulab.arm;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.iommulab.pgtable.TaggedIotlb;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.SpinLock;

/**
 * The one command queue of an SMMUv3, as {@code arm_smmu_cmdq_issue_cmdlist} (v6.7) fills it from
 * every CPU, and the SMMU that consumes it.
 *
 * <p>A CPU reserves slots with a compare-and-swap on the queue's shared producer index, writes its
 * commands into them, and the owner of a run of slots moves the PROD register. A list that ends in
 * a CMD_SYNC takes the queue's lock shared, then polls until the SMMU has consumed everything
 * ahead of the sync and completed it. The SMMU consumes commands one after another, in queue
 * order, for every CPU: under many CPUs' strict unmaps it is the queue, not any lock, that
 * serialises them, which is where the cost of strict mode on large Arm servers comes from.
 *
 * <p>Modelled as: the producer index and the lock word are each a cache line every CPU writes
 * (an atomic on it waits for the line, like a short spinlock); the consumer is a resource held for
 * each synced list's commands and its CMD_SYNC while that CPU polls. Differs from the kernel: each
 * submitter writes PROD itself (owners that gather other CPUs' slots into one PROD write are not
 * modelled, so PROD writes are counted high under contention); a list published without a sync is
 * executed within the hold of the sync that follows it from the same CPU; the queue never fills,
 * so the lock is never taken exclusively to refresh the consumer index.
 */
final class SmmuCmdq {

    /** {@code CMDQ_BATCH_ENTRIES}: commands gathered before a batch is published, BITS_PER_LONG. */
    static final int BATCH_ENTRIES = 64;

    private final SpinLock producerIndex;
    private final SpinLock lockWord;
    private final SpinLock consumer;
    private final TaggedIotlb tlb;
    /** The device's ATC with ATS, or null. */
    private final TaggedIotlb atc;
    private final AtomicLongArray issued = new AtomicLongArray(CmdqCommand.Op.values().length);
    private final AtomicLong cmdlists = new AtomicLong();

    SmmuCmdq(Engine engine, TaggedIotlb tlb, TaggedIotlb atc) {
        this.producerIndex = engine.newSpinLock("smmu.cmdq.prod");
        this.lockWord = engine.newSpinLock("smmu.cmdq.lock");
        this.consumer = engine.newSpinLock("smmu.cmdq", CostCategory.FLUSH);
        this.tlb = tlb;
        this.atc = atc;
    }

    /**
     * {@code arm_smmu_cmdq_batch_add} and {@code _submit}: publishes {@code commands} in batches
     * of {@link #BATCH_ENTRIES}, the last one with a CMD_SYNC, and returns once the sync has
     * completed: from then on nothing they invalidated is reachable.
     */
    void submit(Cpu cpu, List<CmdqCommand> commands) {
        int published = 0;
        while (commands.size() - published > BATCH_ENTRIES) {
            publish(cpu, BATCH_ENTRIES, false);
            published += BATCH_ENTRIES;
        }
        publish(cpu, commands.size() - published, true);
        consumer.lock(cpu);
        try {
            for (CmdqCommand c : commands) {
                cpu.spend(c.op() == CmdqCommand.Op.ATC_INV ? Cost.SMMU_ATC_INV : Cost.SMMU_CMD_EXEC);
                execute(c);
            }
            cpu.spend(Cost.SMMU_SYNC);
            issued.incrementAndGet(CmdqCommand.Op.CMD_SYNC.ordinal());
        } finally {
            consumer.unlock(cpu);
        }
        atomic(cpu, lockWord); // the shared lock's release
    }

    /** Reserves, writes and hands {@code n} commands (and a CMD_SYNC) to the SMMU. */
    private void publish(Cpu cpu, int n, boolean sync) {
        int slots = sync ? n + 1 : n;
        atomic(cpu, producerIndex);
        cpu.spend(Cost.SMMU_CMD_WRITE, slots);
        if (sync) {
            atomic(cpu, lockWord); // taken shared before the owner can move PROD past the sync
        }
        cpu.spend(Cost.SMMU_PROD_WRITE);
        cmdlists.incrementAndGet();
    }

    private static void atomic(Cpu cpu, SpinLock line) {
        line.lock(cpu);
        try {
            cpu.spend(Cost.SMMU_CMDQ_ATOMIC);
        } finally {
            line.unlock(cpu);
        }
    }

    private void execute(CmdqCommand c) {
        switch (c.op()) {
            case TLBI_NH_VA -> tlb.invalidatePages(c.asid(), c.firstPfn(), c.pages());
            case TLBI_NH_ASID -> tlb.invalidateDomain(c.asid());
            case ATC_INV -> {
                if (atc != null) {
                    atc.invalidatePages(c.asid(), c.firstPfn(), c.pages());
                }
            }
            case CMD_SYNC -> throw new IllegalArgumentException("a CMD_SYNC is appended by submit, not passed to it");
        }
        issued.incrementAndGet(c.op().ordinal());
    }

    /** Commands of {@code op} the SMMU has executed so far. */
    long issued(CmdqCommand.Op op) {
        return issued.get(op.ordinal());
    }

    /** Command lists published so far, with or without a sync. */
    long cmdlists() {
        return cmdlists.get();
    }
}
