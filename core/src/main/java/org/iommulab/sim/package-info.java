/**
 * The environment the kernel model runs in: CPUs, spinlocks, timers and the cost model
 * ({@link org.iommulab.sim.Engine}, {@link org.iommulab.sim.Cpu}, {@link
 * org.iommulab.sim.SpinLock}, {@link org.iommulab.sim.KTimer}, {@link org.iommulab.sim.Cost}),
 * and the two per-CPU idioms of the kernel that the model keeps on real threads: counters each
 * CPU adds to alone ({@link org.iommulab.sim.PerCpuCounts}, {@code this_cpu}) and objects alone on
 * their cache lines ({@link org.iommulab.sim.CachelineAligned}, {@code ____cacheline_aligned_in_smp}).
 * The engines that give them meaning live in the subpackages: {@code virtual} (simulated CPUs in
 * deterministic virtual time on one thread), {@code threads} (real threads and locks, and an
 * untimed variant for the concurrency checkers) and {@code manual} (a clock the caller moves).
 */
package org.iommulab.sim;
