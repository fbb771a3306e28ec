/**
 * A scenario's machine on real threads: kernel/dma/map_benchmark.c's loop timed with
 * {@code System.nanoTime} ({@code iommu-lab bench}), and the randomized safety stress that checks,
 * while threads map and unmap, that no IOVA is handed out twice and that the device no longer
 * reaches a page once the flush covering its unmap has completed ({@code iommu-lab stress}).
 */
package org.iommulab.nativebench;
