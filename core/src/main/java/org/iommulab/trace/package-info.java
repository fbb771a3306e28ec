/**
 * ftrace captures of a machine's DMA: the text the kernel prints for the {@code dma:*} and
 * {@code iommu:*} events (include/trace/events/dma.h and iommu.h), read line by line as
 * {@code trace}, {@code trace_pipe} and {@code trace-cmd report} show them, and the checks
 * CONFIG_DMA_API_DEBUG makes, plus what only a trace shows: a device touching memory after it was
 * unmapped.
 */
package org.iommulab.trace;
