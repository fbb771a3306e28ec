package org.iommulab.iommu;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;

/**
 * {@code struct iommu_group} (drivers/iommu/iommu.c, v6.7) with its sysfs {@code type} file. The
 * model has one device per group, as s390 PCI functions and most PCIe endpoints have.
 *
 * <p>Writing the type follows {@code iommu_group_store_type}: {@code DMA-FQ} on a {@code DMA}
 * domain brings up the flush queue on the live domain, driver bound or not; every other change
 * replaces the default domain and is refused while a driver is bound ({@code -EPERM}). As in the
 * kernel, the live upgrade does not ask whether the device is untrusted or has
 * {@link IommuCap#DEFERRED_FLUSH}: only the domain set-up does.
 */
public final class IommuGroup {

    private final int id;
    private final Device dev;
    private final IommuCore core;
    private IommuDomain defaultDomain;
    private boolean driverBound;

    IommuGroup(int id, Device dev, IommuCore core) {
        this.id = id;
        this.dev = dev;
        this.core = core;
    }

    public int id() {
        return id;
    }

    public Device device() {
        return dev;
    }

    public synchronized IommuDomain defaultDomain() {
        return defaultDomain;
    }

    synchronized void setDefaultDomain(IommuDomain domain) {
        defaultDomain = domain;
    }

    /** A device driver claims the device (the group's DMA owner count becomes non-zero). */
    public synchronized void bindDriver() {
        driverBound = true;
    }

    public synchronized void unbindDriver() {
        driverBound = false;
    }

    public synchronized boolean driverBound() {
        return driverBound;
    }

    /** Reads sysfs {@code type}: {@code DMA}, {@code DMA-FQ}, {@code identity} (or {@code blocked}). */
    public synchronized String type() {
        return defaultDomain.type().sysfsName();
    }

    /**
     * Writes sysfs {@code type}.
     *
     * @param value {@code DMA}, {@code DMA-FQ}, {@code identity} or {@code auto}
     * @throws IllegalArgumentException naming the value and the reason when the kernel would
     *     return an error: an unknown value (-EINVAL), a change that needs the driver unbound
     *     (-EPERM), a type the device or driver cannot have (-EINVAL), or a failed set-up
     */
    public synchronized void storeType(String value) {
        DomainType req = parseType(value);
        if (req == DomainType.DMA_FQ && defaultDomain.type() == DomainType.DMA) {
            int ret = defaultDomain.iovaCookie().initFq();
            if (ret != 0) {
                throw new IllegalArgumentException("iommu group " + id + ": flush queue set-up failed ("
                        + Errno.name(ret) + "); type stays DMA");
            }
            defaultDomain.setType(DomainType.DMA_FQ);
            return;
        }
        if (driverBound) {
            throw new IllegalArgumentException("iommu group " + id + ": cannot change type " + type() + " -> "
                    + value + " while a driver is bound (EPERM); only DMA -> DMA-FQ is allowed live");
        }
        String err = core.setupDefaultDomain(this, req);
        if (err != null) {
            throw new IllegalArgumentException("iommu group " + id + ": type " + value + " refused: " + err);
        }
    }

    /** The requested type, or null for {@code auto}. */
    private static DomainType parseType(String value) {
        return switch (value.strip()) {
            case "DMA" -> DomainType.DMA;
            case "DMA-FQ" -> DomainType.DMA_FQ;
            case "identity" -> DomainType.IDENTITY;
            case "auto" -> null;
            default -> throw new IllegalArgumentException(
                    "iommu group type '" + value + "' (EINVAL); allowed: DMA, DMA-FQ, identity, auto");
        };
    }
}
