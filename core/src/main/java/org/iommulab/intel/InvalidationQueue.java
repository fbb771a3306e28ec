package org.iommulab.intel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.iommulab.fault.FaultAttr;
import org.iommulab.pgtable.TaggedIotlb;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.SpinLock;

/**
 * The queued-invalidation interface of one VT-d unit, as {@code qi_submit_sync}
 * (drivers/iommu/intel/dmar.c, v6.7) drives it: under the queue lock the CPU writes the
 * descriptor and an invalidation-wait descriptor behind it, moves the tail, and spins until the
 * hardware has executed both and written the wait's status. The hardware here applies each IOTLB
 * descriptor to the {@link TaggedIotlb} in order.
 *
 * <p>In caching mode the unit is QEMU's emulation: the tail write exits to {@link CachingModeHost},
 * which handles the descriptors before the guest's wait completes.
 *
 * <p>A wait may time out ({@code --fault inv-timeout}): the unit reports an invalidation time-out
 * error after {@link Cost#VTD_INV_TIMEOUT}, aborts the wait, and {@code qi_check_fault} has
 * {@code qi_submit_sync} submit both descriptors again; the timed-out attempt is taken to have
 * invalidated nothing, so the stale window lasts until a submission completes.
 *
 * <p>Differs from the kernel: the ring itself (256 slots, wrap-around, the hardware head) is not
 * modelled, since every submission waits for completion and so never finds it full.
 */
final class InvalidationQueue {

    private final SpinLock qiLock;
    private final TaggedIotlb iotlb;
    /** In caching mode, QEMU, which executes the descriptors; null on bare metal. */
    private final CachingModeHost emulator;
    private final AtomicLongArray issued = new AtomicLongArray(InvDescriptor.Type.values().length);
    private final FaultAttr timeoutFaults;
    private final AtomicLong timeouts = new AtomicLong();

    /** @param timeoutFaults which waits time out */
    InvalidationQueue(Engine engine, TaggedIotlb iotlb, CachingModeHost emulator, FaultAttr timeoutFaults) {
        this.qiLock = engine.newSpinLock("dmar.qi");
        this.iotlb = iotlb;
        this.emulator = emulator;
        this.timeoutFaults = timeoutFaults;
    }

    /**
     * Submits {@code desc} with a wait descriptor and returns once the wait has completed: from
     * then on the device can no longer use what {@code desc} invalidated.
     */
    void submitSync(Cpu cpu, InvDescriptor desc) {
        qiLock.lock(cpu);
        try {
            cpu.spend(Cost.X86_INV_DESC, 2);
            while (timeoutFaults.shouldFail()) {
                cpu.spend(Cost.VTD_INV_TIMEOUT);
                timeouts.incrementAndGet();
                cpu.spend(Cost.X86_INV_DESC, 2);
            }
            execute(desc);
            if (emulator != null) {
                emulator.execute(cpu, desc); // the tail write exits to QEMU, which runs both descriptors
            } else {
                cpu.spend(Cost.VTD_INV_WAIT);
            }
            issued.incrementAndGet(InvDescriptor.Type.WAIT.ordinal());
        } finally {
            qiLock.unlock(cpu);
        }
    }

    /** Waits that timed out and were submitted again. */
    long timeouts() {
        return timeouts.get();
    }

    /** Descriptors of {@code type} issued so far. */
    long issued(InvDescriptor.Type type) {
        return issued.get(type.ordinal());
    }

    private void execute(InvDescriptor desc) {
        switch (desc.type()) {
            case IOTLB_PSI -> iotlb.invalidatePages(desc.did(), desc.firstPfn(), desc.pages());
            case IOTLB_DSI -> iotlb.invalidateDomain(desc.did());
            default -> throw new IllegalArgumentException(desc.type() + " is not an IOTLB descriptor");
        }
        issued.incrementAndGet(desc.type().ordinal());
    }
}
