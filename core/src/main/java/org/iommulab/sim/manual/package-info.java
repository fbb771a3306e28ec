/**
 * An engine whose clock the caller moves: timers fire when it is advanced past them. For tests and
 * the {@code demo} command's loop.
 */
package org.iommulab.sim.manual;
