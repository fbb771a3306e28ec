package org.iommulab.iommu;

import java.util.LinkedHashMap;
import java.util.Map;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.Errno;

/**
 * The device-probing half of drivers/iommu/iommu.c (v6.7) for one IOMMU driver:
 * {@code __iommu_probe_device} (driver probe, one group per device), the choice of the default
 * domain type ({@code iommu_get_default_domain_type} with {@code iommu_def_domain_type}) and
 * {@code iommu_setup_default_domain} (allocate, attach, hand to the DMA layer).
 *
 * <p>Type choice: a driver's {@code def_domain_type} wins; an untrusted device gets DMA (strict)
 * and cannot be identity; otherwise {@code iommu.passthrough} gives identity, {@code iommu.strict}
 * DMA, and the x86/s390 Kconfig default DMA-FQ. A DMA-FQ domain falls back to DMA in the DMA
 * layer when the device lacks {@link IommuCap#DEFERRED_FLUSH}. If the chosen default type cannot
 * be allocated (identity without driver support) the core falls back to DMA, as the kernel does.
 */
public final class IommuCore {

    private final IommuBootParams params;
    private final IommuDriver driver;
    private final IommuDmaHooks dma;
    private final Map<Device, IommuGroup> groups = new LinkedHashMap<>();

    public IommuCore(IommuBootParams params, IommuDriver driver, IommuDmaHooks dma) {
        this.params = params;
        this.driver = driver;
        this.dma = dma;
    }

    public IommuBootParams params() {
        return params;
    }

    public IommuDriver driver() {
        return driver;
    }

    /**
     * {@code iommu_probe_device}: the driver takes the device, which gets a group, a default
     * domain and DMA ops.
     *
     * @return 0 or -errno (from the driver's probe, or -EINVAL when no default domain fits)
     */
    public synchronized int probeDevice(Device dev) {
        if (groups.containsKey(dev)) {
            return -Errno.EEXIST;
        }
        int ret = driver.probeDevice(dev);
        if (ret != 0) {
            return ret;
        }
        IommuGroup group = new IommuGroup(groups.size(), dev, this);
        String err = setupDefaultDomain(group, null);
        if (err != null) {
            return -Errno.EINVAL;
        }
        groups.put(dev, group);
        return 0;
    }

    /** The group of a probed device, or null. */
    public synchronized IommuGroup group(Device dev) {
        return groups.get(dev);
    }

    /**
     * {@code iommu_setup_default_domain}: picks the type ({@code target} or the default when
     * null), replaces the group's default domain and sets up the device's DMA ops.
     *
     * @return null on success, else why the type is refused
     */
    String setupDefaultDomain(IommuGroup group, DomainType target) {
        Device dev = group.device();
        DomainType driverType = driver.defDomainType(dev);
        if (dev.untrusted()) {
            if (driverType != null && driverType != DomainType.DMA) {
                return "device " + dev + " is untrusted but its driver forces " + driverType.sysfsName();
            }
            driverType = DomainType.DMA;
        }
        if (target != null && driverType != null && target != driverType) {
            return "device " + dev + " must have type " + driverType.sysfsName();
        }
        DomainType req = target != null ? target : driverType;
        IommuDomain domain = allocDefaultDomain(dev, req);
        if (domain == null) {
            return "the driver cannot allocate a " + (req == null ? params.defDomainType() : req).sysfsName() + " domain";
        }
        if (domain.ops() != null) {
            int ret = domain.ops().attachDev(dev);
            if (ret != 0) {
                domain.ops().free();
                return "attaching the new domain failed (" + Errno.name(ret) + ")";
            }
        }
        IommuDomain old = group.defaultDomain();
        if (old != null) {
            if (old.ops() != null) {
                old.ops().detachDev(dev);
            }
            if (old.iovaCookie() != null) {
                old.iovaCookie().put();
            }
            if (old.ops() != null) {
                old.ops().free();
            }
        }
        group.setDefaultDomain(domain);
        dma.setupDmaOps(driver, dev, domain);
        return null;
    }

    /** {@code iommu_group_alloc_default_domain}: the requested type, else the default, else DMA. */
    private IommuDomain allocDefaultDomain(Device dev, DomainType req) {
        if (req != null) {
            return allocDomain(dev, req);
        }
        DomainType def = params.defDomainType();
        IommuDomain domain = allocDomain(dev, def);
        if (domain != null || def == DomainType.DMA) {
            return domain;
        }
        return allocDomain(dev, DomainType.DMA);
    }

    private IommuDomain allocDomain(Device dev, DomainType type) {
        if (type == DomainType.IDENTITY) {
            return driver.supportsIdentity(dev) ? IommuDomain.identity() : null;
        }
        if (!type.isDma()) {
            return null;
        }
        IommuDomainOps ops = driver.domainAllocPaging(dev);
        return ops == null ? null : IommuDomain.paging(type, ops);
    }
}
