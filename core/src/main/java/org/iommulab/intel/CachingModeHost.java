package org.iommulab.intel;

import org.iommulab.pgtable.RadixPageTable;
import org.iommulab.sim.Cpu;

/**
 * What a VT-d unit in caching mode has behind it: the VMM that emulates it, which learns of the
 * guest's table changes only through the invalidations it is sent. The driver sees this
 * interface; QEMU's side is a platform model ({@link org.iommulab.platform.qemu.VirtualVtd}).
 */
public interface CachingModeHost {

    /** The guest's table of domain {@code did}, which invalidations of that domain walk. */
    void register(int did, RadixPageTable table);

    /**
     * The guest moved the queue tail past {@code desc} and its wait descriptor: returns when the
     * VMM has handled both and the wait completed.
     */
    void execute(Cpu cpu, InvDescriptor desc);
}
