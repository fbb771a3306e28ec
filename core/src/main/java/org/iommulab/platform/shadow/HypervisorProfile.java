package org.iommulab.platform.shadow;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.iommulab.config.Reference;
import org.iommulab.s390.PciDma;

/**
 * How one shadowing hypervisor release handles RPCIT, as a named profile of the same model
 * (docs/platforms/kvm.md and zvm.md). The QEMU profiles follow hw/s390x/s390-pci-inst.c,
 * s390-pci-bus.c and s390-pci-vfio.c of each release, with vfio type1 on the host unless named:
 *
 * <ul>
 *   <li>{@code qemu-7.1}: vfio DMA limit honoured (5.2), one host unmap per shadowed page, maps
 *       skipped once the limit is reached, the host's DMA range advertised, so a Linux guest's
 *       aperture is as large as its memory; PCI loads and stores are intercepted too (no zPCI
 *       interpretation before 7.2);
 *   <li>{@code qemu-7.2}: adds the second pass when unmaps freed entries after a map was skipped,
 *       and interprets PCI loads and stores (Linux 6.0's zPCI interpretation);
 *   <li>{@code qemu-8.0} (the default, also 8.2+ with the legacy vfio container): adds
 *       power-of-two coalescing of runs of invalid PTEs into one host unmap each, and shrinks the
 *       advertised range to SDMA + limit x 4 KiB - 1;
 *   <li>{@code qemu-8.2-iommufd}: an iommufd or vfio cdev backend has no type1 DMA limit, so QEMU
 *       counts nothing and shrinks nothing;
 *   <li>{@code qemu-10.0}: relaxed translation: a guest may run an identity domain with all its
 *       RAM pinned and issue no RPCIT; a guest that still translates sees the host's full range;
 *   <li>{@code qemu-10.0-m9.2}: 10.0 with a machine type of 9.2 or older, which keeps the shrink.
 * </ul>
 *
 * <p>{@code zvm}: z/VM's internals are not public. The guest sees the same interface (refresh bit,
 * RPCIT, status 16); the profile assumes z/VM resynchronises its shadow by the evident contract of
 * the interface, at a cost that follows the entries that changed, not the range
 * ({@link Resync#CHANGED_ENTRIES}), under one global serialisation it spins on, with the same DMA
 * entry limit, and the host's range unshrunk. Every one of these choices is an assumption, and its
 * costs are calibrated to the series' public statements (docs/platforms/zvm.md).
 *
 * @param name the name a user selects the profile by
 * @param costs the cost keys this hypervisor charges
 * @param resync how a refresh finds what to change, and so what it costs
 * @param refresh the function group's refresh bit it reports (1 for paged-memory guests)
 * @param secondPass walk the range again when unmaps freed DMA entries after a map was skipped
 * @param coalesceUnmaps send runs of invalid PTEs as power-of-two aligned host unmaps
 * @param shrinkAperture advertise EDMA = SDMA + limit x 4 KiB - 1 rather than the host's EDMA
 * @param relaxedTranslation offer {@code rtr}: an IOAT with translation off maps all guest RAM
 * @param countsDmaEntries honour the host's DMA entry limit (vfio type1's {@code dma_avail})
 * @param interpretsLoadStore PCI loads and stores run without an intercept
 */
public record HypervisorProfile(
        String name,
        HypervisorCosts costs,
        Resync resync,
        boolean refresh,
        boolean secondPass,
        boolean coalesceUnmaps,
        boolean shrinkAperture,
        boolean relaxedTranslation,
        boolean countsDmaEntries,
        boolean interpretsLoadStore) {

    /** How a refresh brings the shadow in line with the guest tables. */
    public enum Resync {
        /** QEMU: walk every page of the range, one shadow lookup each, valid or not. */
        WALK_RANGE,
        /** z/VM as assumed: work only for the entries that changed since the last refresh. */
        CHANGED_ENTRIES
    }

    /** Every profile of the reference configuration, in its order (oldest QEMU first). */
    private static final List<HypervisorProfile> ALL = Reference.names("hypervisorProfiles", "profiles").stream()
            .map(HypervisorProfile::fromReference).toList();

    public static final HypervisorProfile QEMU_7_1 = byName("qemu-7.1");
    public static final HypervisorProfile QEMU_7_2 = byName("qemu-7.2");
    public static final HypervisorProfile QEMU_8_0 = byName("qemu-8.0");
    public static final HypervisorProfile QEMU_8_2_IOMMUFD = byName("qemu-8.2-iommufd");
    public static final HypervisorProfile QEMU_10_0 = byName("qemu-10.0");
    public static final HypervisorProfile QEMU_10_0_M9_2 = byName("qemu-10.0-m9.2");
    public static final HypervisorProfile ZVM = byName("zvm");

    /** The profile used when none is named. */
    public static final HypervisorProfile DEFAULT = byName(Reference.text("hypervisorProfiles", "default"));

    /** Every built-in profile, oldest QEMU first. */
    public static List<HypervisorProfile> all() {
        return ALL;
    }

    private static HypervisorProfile fromReference(String name) {
        Reference.Section p = Reference.section("hypervisorProfiles", "profiles", name);
        String costs = p.text("costs");
        return new HypervisorProfile(name,
                switch (costs) {
                    case "kvm" -> HypervisorCosts.KVM;
                    case "zvm" -> HypervisorCosts.ZVM;
                    default -> throw new IllegalStateException(Reference.RESOURCE + ": " + p.path() + ".costs is '"
                            + costs + "'; allowed: kvm, zvm");
                },
                Resync.valueOf(p.text("resync").toUpperCase(Locale.ROOT).replace('-', '_')),
                p.bool("refresh"), p.bool("secondPass"), p.bool("coalesceUnmaps"), p.bool("shrinkAperture"),
                p.bool("relaxedTranslation"), p.bool("countsDmaEntries"), p.bool("interpretsLoadStore"));
    }

    /** The built-in profile called {@code name}. */
    public static HypervisorProfile byName(String name) {
        for (HypervisorProfile p : ALL) {
            if (p.name.equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown hypervisor profile '" + name + "'; allowed: "
                + ALL.stream().map(HypervisorProfile::name).collect(Collectors.joining(", ")));
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
        if (shrinkAperture && countsDmaEntries) {
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
