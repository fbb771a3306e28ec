/**
 * Engines on real threads: {@code NativeEngine} with real spinlocks and timers for benchmarks and
 * the native stress, {@code UntimedEngine} without timers for Lincheck and jcstress.
 */
package org.iommulab.sim.threads;
