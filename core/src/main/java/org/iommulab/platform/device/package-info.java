/**
 * The device side of translation: an I/O TLB that caches page translations until an
 * invalidation or eviction removes them, and the translation sources it walks (the guest's own
 * tables on LPAR, a hypervisor's shadow elsewhere).
 */
package org.iommulab.platform.device;
