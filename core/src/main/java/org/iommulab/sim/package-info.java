/**
 * The environment the kernel model runs in, and its engines. The model sees CPUs, spinlocks,
 * timers and a cost model ({@link org.iommulab.sim.Engine}, {@link org.iommulab.sim.Cpu},
 * {@link org.iommulab.sim.SpinLock}, {@link org.iommulab.sim.KTimer}, {@link
 * org.iommulab.sim.Cost}); the engines give them meaning: {@link org.iommulab.sim.VirtualEngine}
 * runs simulated CPUs in deterministic virtual time on one thread, {@link
 * org.iommulab.sim.NativeEngine} runs them on real threads with real locks, and the manual and
 * untimed engines drive tests and the concurrency checkers.
 */
package org.iommulab.sim;
