/**
 * The loads on top of the DMA API, as drivers and their benchmarks put them there, in virtual
 * time. A workload reaches its devices only through their {@link org.iommulab.kernel.DmaOps}
 * ({@code map_page}, {@code map_sg} and their unmaps), never the IOMMU layer beneath, so each runs
 * unchanged on dma-iommu in any mode and on the old s390 DMA API.
 *
 * <ul>
 *   <li>{@link org.iommulab.workload.Fio}: random block I/O on NVMe-like drives through blk-mq,
 *       one scatter-gather map per request, unmapped at its completion.
 *   <li>{@link org.iommulab.workload.Netperf}: a NIC's receive rings of page-sized buffers (one
 *       map and unmap per frame) and multi-fragment sends, at the port's line rate.
 *   <li>{@link org.iommulab.workload.MapBench}: the loop of the kernel's dma_map_benchmark, with
 *       the tool's options and its report.
 * </ul>
 *
 * <p>The devices are models with named costs ({@code nvme.*}, {@code nic.*} in
 * {@link org.iommulab.sim.Cost}): a drive completes a command after its latency but no sooner
 * than its IOPS and bandwidth ceilings allow; a port carries frames at its line rate. Device time
 * is spent on no CPU; the drivers' time is ({@code driver.*}).
 *
 * <p>Every workload is accountable: each I/O is submitted once and ends completed or failed, or
 * is still in flight; {@link org.iommulab.workload.IoCounters#snapshot} checks submitted =
 * completed + failed + in flight against the requests the workload holds. A mapping error is
 * handled as the driver would ({@link org.iommulab.workload.MapRetry}): blk-mq retries,
 * {@code ndo_start_xmit} drops, a receive refill tries again at the next poll, the benchmark's
 * thread ends. {@link org.iommulab.workload.Workload#stop} ends submission and lets what is in
 * flight finish.
 *
 * <p>Each step that takes the DMA layer's locks starts its own event, so that CPUs interleave in
 * virtual time at their true times. The same options and seed give the same run.
 */
package org.iommulab.workload;
