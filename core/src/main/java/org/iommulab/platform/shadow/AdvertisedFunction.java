package org.iommulab.platform.shadow;

/**
 * What the guest learns about a zPCI function beneath a shadowing hypervisor from CLP (Query PCI
 * Function and Query PCI Function Group): the values the guest's s390 driver computes its aperture
 * and flush policy from.
 *
 * @param refresh the function group's {@code fr} bit: the guest must issue RPCIT on map
 * @param sdma the lowest DMA address the guest may register (SDMA)
 * @param edma the highest DMA address the guest may register (EDMA), inclusive
 * @param relaxedTranslation {@code rtr}: the guest may register an IOAT with translation off
 *     (QEMU 10.0 relaxed translation), so an identity domain needs no RPCIT at all
 */
public record AdvertisedFunction(boolean refresh, long sdma, long edma, boolean relaxedTranslation) {}
