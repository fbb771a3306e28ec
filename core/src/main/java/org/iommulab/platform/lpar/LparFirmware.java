package org.iommulab.platform.lpar;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.kernel.Device;
import org.iommulab.platform.RpcitFaults;
import org.iommulab.platform.device.IoatTranslationSource;
import org.iommulab.platform.device.IotlbDevice;
import org.iommulab.s390.PciDma;
import org.iommulab.s390.RpcitHandler;
import org.iommulab.s390.RpcitResult;
import org.iommulab.s390.ZpciFunction;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * A logical partition without a paging hypervisor: the machine's firmware executes RPCIT by
 * invalidating the device's hardware IOTLB entries for the range, and the hardware walks the
 * guest's own tables ({@link IoatTranslationSource}). The function group's refresh bit is clear
 * ({@code tlb_refresh} = 0), so newly valid entries need no RPCIT. The firmware never runs out of
 * resources and is never busy in this model, unless {@code --fault} injects such answers
 * ({@link RpcitFaults}). Each RPCIT ends the stale window of the pages in its range on the
 * function's tracker.
 */
public final class LparFirmware implements RpcitHandler {

    private final ConcurrentHashMap<ZpciFunction, IotlbDevice> devices = new ConcurrentHashMap<>();
    private final AtomicLong rpcits = new AtomicLong();
    private final RpcitFaults faults;

    /** Firmware that executes every RPCIT. */
    public LparFirmware() {
        this(RpcitFaults.NONE);
    }

    /** @param faults the answers injected instead of executing an RPCIT */
    public LparFirmware(RpcitFaults faults) {
        this.faults = faults;
    }

    /** A function in this LPAR for {@code dev}: refresh bit clear, RPCIT executed here. */
    public ZpciFunction.Builder functionBuilder(Device dev) {
        return ZpciFunction.builder(dev, this).tlbRefresh(false);
    }

    /**
     * Plugs the hardware behind {@code fn}: a device with an IOTLB of {@code iotlbEntries} entries
     * that walks the tables {@code fn} registers.
     */
    public IotlbDevice plug(ZpciFunction fn, int iotlbEntries) {
        if (fn.rpcitHandler() != this) {
            throw new IllegalArgumentException(fn + " belongs to another platform, not this LPAR");
        }
        IotlbDevice dev = new IotlbDevice(fn.device().name(), new IoatTranslationSource(fn), iotlbEntries);
        if (devices.putIfAbsent(fn, dev) != null) {
            throw new IllegalArgumentException(fn + " is already plugged");
        }
        return dev;
    }

    @Override
    public RpcitResult rpcit(Cpu cpu, ZpciFunction fn, long dmaAddr, long length) {
        cpu.spend(Cost.RPCIT_LPAR);
        rpcits.incrementAndGet();
        RpcitResult injected = faults.draw();
        if (injected != null) {
            return injected;
        }
        IotlbDevice dev = devices.get(fn);
        if (dev != null) {
            dev.invalidate(dmaAddr, length);
        }
        IommuTrace tracker = fn.trace();
        long first = dmaAddr >>> PciDma.PAGE_SHIFT;
        long last = (dmaAddr + length - 1) >>> PciDma.PAGE_SHIFT;
        tracker.invalidated(cpu.nowNs(), first, last - first + 1);
        return RpcitResult.OK;
    }

    /** Registering or unregistering tables purges the function's IOTLB. */
    @Override
    public void ioatChanged(ZpciFunction fn) {
        IotlbDevice dev = devices.get(fn);
        if (dev != null) {
            dev.invalidateAll();
        }
    }

    /** RPCITs executed so far. */
    public long rpcits() {
        return rpcits.get();
    }
}
