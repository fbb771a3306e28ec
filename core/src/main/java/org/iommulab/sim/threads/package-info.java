/**
 * Engines on real threads: {@code NativeEngine} with real spinlocks, and timers that expire on a
 * timer thread and run on the CPU that armed them (the timer softirq), for benchmarks and the
 * native stress; {@code UntimedEngine} without timers for Lincheck and jcstress.
 */
package org.iommulab.sim.threads;
