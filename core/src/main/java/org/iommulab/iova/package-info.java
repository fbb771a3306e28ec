/**
 * drivers/iommu/iova.c and include/linux/iova.h as of Linux v6.7: the IOVA allocator that
 * dma-iommu draws bus addresses from. {@link org.iommulab.iova.IovaRbTree} and
 * {@link org.iommulab.iova.IovaDomain} are the red-black tree of allocated ranges with its cached
 * node, 32-bit hint and {@code max32_alloc_size}, searched top-down; {@link
 * org.iommulab.iova.IovaRcache} and {@link org.iommulab.iova.IovaMagazine} are the per-CPU range
 * caches (two magazines per CPU and size class, a depot of full ones trimmed by delayed work) that
 * keep sizes up to 32 granules off the tree's lock. The tests replay traces recorded from the
 * kernel's own code line by line.
 */
package org.iommulab.iova;
