package org.iommulab.sim.threads;

import org.iommulab.sim.CachelineAligned;

/** The word of a {@link NativeSpinLock}, alone on its cache lines: 1 while held, else 0. */
abstract class NativeSpinLockFields extends CachelineAligned {

    int locked;
    /** The thread holding it, written and cleared only by that thread while it holds the lock. */
    Thread owner;
}
