/**
 * Fault injection, as the kernel's lib/fault-inject.c offers it ({@code fault_attr},
 * {@code should_fail}): each kind of failure a run can inject has a probability or a limit, drawn
 * from a stream seeded by the run's seed, so the same scenario fails at the same calls. The layers
 * that can fail (the RPCIT handlers, the hypervisor's DMA limit, the translation-table
 * allocators, the virtio-iommu device, the VT-d invalidation queue, the devices) each hold the
 * {@link org.iommulab.fault.FaultAttr} of their kind; nothing here knows them.
 */
package org.iommulab.fault;
