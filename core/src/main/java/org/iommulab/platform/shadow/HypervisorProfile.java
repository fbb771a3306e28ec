package org.iommulab.platform.shadow;

import java.util.List;
import org.iommulab.s390.PciDma;
import java.util.stream.Collectors;

/**
 * How one shadowing hypervisor release handles RPCIT, as a named profile of the same model
 * (docs/sources.md, "The hypervisors"). The QEMU profiles follow hw/s390x/s390-pci-inst.c,
 * s390-pci-bus.c and s390-pci-vfio.c of each release:
 *
 * <ul>
 *   <li>{@code qemu-7.1}: vfio DMA limit honoured (5.2), one host unmap per shadowed page, maps
 *       skipped once the limit is reached, the host's DMA range advertised, so a Linux guest's
 *       aperture is as large as its memory;
 *   <li>{@code qemu-7.2}: adds the second pass when unmaps freed entries after a map was skipped;
 *   <li>{@code qemu-8.0} (the default): adds power-of-two coalescing of runs of invalid PTEs into
 *       one host unmap each, and shrinks the advertised range to SDMA + limit x 4 KiB - 1;
 *   <li>{@code qemu-10.0}: relaxed translation: a guest may run an identity domain with all its
 *       RAM pinned and issue no RPCIT; a guest that still translates sees the host's full range.
 * </ul>
 *
 * <p>{@code zvm}: z/VM's internals are not public. The guest sees the same interface (refresh bit,
 * RPCIT, status 16); the profile assumes z/VM shadows like the newest translating QEMU (second
 * pass, coalesced unmaps), advertises the host's range unshrunk, and charges its own {@code zvm.*}
 * costs. Every one of these choices is an assumption.
 *
 * @param name the name a user selects the profile by
 * @param costs the cost keys this hypervisor charges
 * @param refresh the function group's refresh bit it reports (1 for paged-memory guests)
 * @param secondPass walk the range again when unmaps freed DMA entries after a map was skipped
 * @param coalesceUnmaps send runs of invalid PTEs as power-of-two aligned host unmaps
 * @param shrinkAperture advertise EDMA = SDMA + limit x 4 KiB - 1 rather than the host's EDMA
 * @param relaxedTranslation offer {@code rtr}: an IOAT with translation off maps all guest RAM
 */
public record HypervisorProfile(
        String name,
        HypervisorCosts costs,
        boolean refresh,
        boolean secondPass,
        boolean coalesceUnmaps,
        boolean shrinkAperture,
        boolean relaxedTranslation) {

    public static final HypervisorProfile QEMU_7_1 =
            new HypervisorProfile("qemu-7.1", HypervisorCosts.KVM, true, false, false, false, false);
    public static final HypervisorProfile QEMU_7_2 =
            new HypervisorProfile("qemu-7.2", HypervisorCosts.KVM, true, true, false, false, false);
    public static final HypervisorProfile QEMU_8_0 =
            new HypervisorProfile("qemu-8.0", HypervisorCosts.KVM, true, true, true, true, false);
    public static final HypervisorProfile QEMU_10_0 =
            new HypervisorProfile("qemu-10.0", HypervisorCosts.KVM, true, true, true, false, true);
    public static final HypervisorProfile ZVM =
            new HypervisorProfile("zvm", HypervisorCosts.ZVM, true, true, true, false, false);

    /** The profile used when none is named. */
    public static final HypervisorProfile DEFAULT = QEMU_8_0;

    /** Every built-in profile, oldest QEMU first. */
    public static List<HypervisorProfile> all() {
        return List.of(QEMU_7_1, QEMU_7_2, QEMU_8_0, QEMU_10_0, ZVM);
    }

    /** The built-in profile called {@code name}. */
    public static HypervisorProfile byName(String name) {
        for (HypervisorProfile p : all()) {
            if (p.name.equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown hypervisor profile '" + name + "'; allowed: "
                + all().stream().map(HypervisorProfile::name).collect(Collectors.joining(", ")));
    }

    /**
     * What the guest is told about a function whose host range is {@code [hostSdma, hostEdma]}
     * when the host allows {@code dmaEntryLimit} DMA entries (s390_pci_read_base and
     * s390_pci_read_group in s390-pci-vfio.c).
     */
    public AdvertisedFunction advertise(long hostSdma, long hostEdma, long dmaEntryLimit) {
        if (Long.compareUnsigned(hostSdma, hostEdma) > 0) {
            throw new IllegalArgumentException("host SDMA 0x" + Long.toHexString(hostSdma)
                    + " above EDMA 0x" + Long.toHexString(hostEdma));
        }
        long edma = hostEdma;
        if (shrinkAperture) {
            long limitEnd = hostSdma + dmaEntryLimit * PciDma.PAGE_SIZE - 1;
            if (Long.compareUnsigned(limitEnd, hostEdma) < 0) {
                edma = limitEnd;
            }
        }
        return new AdvertisedFunction(refresh, hostSdma, edma, relaxedTranslation);
    }

    @Override
    public String toString() {
        return name;
    }
}
