package org.iommulab.virtio;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.iommu.IommuDomainOps;
import org.iommulab.iommu.IommuProt;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.iommu.IotlbGather;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;

/**
 * A virtio-iommu domain in the guest ({@code struct viommu_domain}, drivers/iommu/virtio-iommu.c,
 * v6.8): the guest's own tree of mappings, one per {@code map_pages} call, under
 * {@code mappings_lock}, and the requests that mirror it to the device.
 *
 * <p>{@code mappings_lock} is a Java monitor rather than an engine spinlock, because
 * {@code iova_to_phys} is called without a CPU; it guards only tree updates, never a wait.
 *
 * <p>{@code map_pages} records the mapping and queues a MAP; {@code unmap_pages} removes whole
 * mappings (a mapping that starts below the range ends the walk, as the device cannot split one)
 * and queues an UNMAP; {@code iotlb_sync_map}, {@code iotlb_sync} and {@code flush_iotlb_all} each
 * sync the queue. Nothing is queued while no endpoint is attached; the first attach replays the
 * tree. Attach and detach run on CPU 0: the interface passes them no CPU, and they are set-up paths.
 *
 * <p>The device has one request queue, so the sync that makes any new mapping visible also carries
 * every UNMAP queued before it: under a flush queue an unmapped page stops being reachable at the
 * next map's {@code iotlb_sync_map} on any CPU, usually long before the queue's own flush.
 */
public final class VirtioIommuDomain implements IommuDomainOps {

    private static final int PAGE_SHIFT = 12;

    private final VirtioIommu viommu;
    private final Engine engine;
    /** The guest's mapping tree; its monitor is {@code mappings_lock}. */
    private final TreeMap<Long, GuestMapping> mappings = new TreeMap<>(Long::compareUnsigned);
    private final Set<Device> endpoints = ConcurrentHashMap.newKeySet();
    private volatile int id = -1;

    VirtioIommuDomain(VirtioIommu viommu, Engine engine) {
        this.viommu = viommu;
        this.engine = engine;
    }

    @Override
    public int attachDev(Device dev) {
        if (id < 0) {
            id = viommu.allocDomainId();
        }
        Cpu cpu = engine.cpu(0);
        int ret = viommu.vq().sendReqSync(cpu, new VirtioIommuRequest.Attach(id, dev));
        if (ret != 0) {
            return ret;
        }
        if (endpoints.isEmpty()) {
            ret = replayMappings(cpu);
            if (ret != 0) {
                return ret;
            }
        }
        endpoints.add(dev);
        return 0;
    }

    @Override
    public void detachDev(Device dev) {
        if (endpoints.remove(dev)) {
            viommu.vq().sendReqSync(engine.cpu(0), new VirtioIommuRequest.Detach(id, dev));
        }
    }

    /** {@code viommu_replay_mappings}: re-sends every mapping to a domain that had no endpoint. */
    private int replayMappings(Cpu cpu) {
        synchronized (mappings) {
            for (GuestMapping m : mappings.values()) {
                int ret = viommu.vq().sendReqSync(cpu, m.mapRequest(id));
                if (ret != 0) {
                    return ret;
                }
            }
            return 0;
        }
    }

    @Override
    public long mapPages(Cpu cpu, long iova, long paddr, long pgsize, long pgcount, int prot) {
        int flags = ((prot & IommuProt.READ) != 0 ? VirtioIommuRequest.MAP_F_READ : 0)
                | ((prot & IommuProt.WRITE) != 0 ? VirtioIommuRequest.MAP_F_WRITE : 0);
        GuestMapping m = new GuestMapping(iova, iova + pgsize * pgcount - 1, paddr, flags);
        synchronized (mappings) {
            mappings.put(iova, m);
        }
        if (!endpoints.isEmpty()) {
            viommu.vq().addReq(cpu, m.mapRequest(id));
        }
        return pgsize * pgcount;
    }

    @Override
    public long unmapPages(Cpu cpu, long iova, long pgsize, long pgcount, IotlbGather gather) {
        long size = pgsize * pgcount;
        long unmapped = delMappings(iova, iova + size - 1);
        if (Long.compareUnsigned(unmapped, size) < 0) {
            return 0;
        }
        if (endpoints.isEmpty()) {
            return unmapped; // the device dropped every mapping when the last endpoint left
        }
        IommuTrace tracker = viommu.tracker();
        // before queueing: once queued, another CPU's sync may carry the UNMAP at any moment
        tracker.unmapped(cpu.nowNs(), iova >>> PAGE_SHIFT, unmapped >>> PAGE_SHIFT);
        viommu.vq().addReq(cpu, new VirtioIommuRequest.Unmap(id, iova, iova + unmapped - 1));
        return unmapped;
    }

    /** {@code viommu_del_mappings}: removes whole mappings in {@code [iova, end]}; returns their bytes. */
    private long delMappings(long iova, long end) {
        long unmapped = 0;
        synchronized (mappings) {
            Map.Entry<Long, GuestMapping> below = mappings.lowerEntry(iova);
            if (below != null && Long.compareUnsigned(below.getValue().last, iova) >= 0) {
                return 0; // the first overlapping mapping starts below iova: it cannot be split
            }
            Iterator<GuestMapping> it = mappings.subMap(iova, true, end, true).values().iterator();
            while (it.hasNext()) {
                GuestMapping m = it.next();
                unmapped += m.last - m.start + 1;
                it.remove();
            }
            return unmapped;
        }
    }

    @Override
    public void flushIotlbAll(Cpu cpu) {
        if (!endpoints.isEmpty()) {
            viommu.vq().syncReq(cpu);
        }
    }

    @Override
    public int iotlbSyncMap(Cpu cpu, long iova, long size) {
        if (endpoints.isEmpty()) {
            return 0;
        }
        viommu.vq().syncReq(cpu);
        return 0;
    }

    @Override
    public void iotlbSync(Cpu cpu, IotlbGather gather) {
        viommu.vq().syncReq(cpu);
    }

    @Override
    public long iovaToPhys(long iova) {
        synchronized (mappings) {
            Map.Entry<Long, GuestMapping> e = mappings.floorEntry(iova);
            if (e == null || Long.compareUnsigned(iova, e.getValue().last) > 0) {
                return 0;
            }
            return e.getValue().paddr + (iova - e.getKey());
        }
    }

    /**
     * A DMA to {@code iova} by the domain's endpoint, as the host IOMMU translates it: the physical
     * address, or {@link VirtioIommuBackend#FAULT}. A mapping becomes reachable only once its MAP was
     * kicked, and stays reachable until its UNMAP was.
     */
    public long translate(long iova, boolean write) {
        Iterator<Device> it = endpoints.iterator();
        return it.hasNext() ? viommu.host().translate(it.next(), iova, write) : VirtioIommuBackend.FAULT;
    }

    @Override
    public DomainGeometry geometry() {
        int bits = viommu.config().inputBits();
        return new DomainGeometry(0, bits == 64 ? -1L : (1L << bits) - 1, true);
    }

    @Override
    public long pgsizeBitmap() {
        return viommu.config().pgsizeBitmap();
    }

    /** {@code viommu_domain_free}: drops the guest's mappings; the device dropped its own at detach. */
    @Override
    public void free() {
        synchronized (mappings) {
            mappings.clear();
        }
    }

    /** One {@code map_pages} call's range, as {@code struct viommu_mapping} keeps it. */
    private record GuestMapping(long start, long last, long paddr, int flags) {
        VirtioIommuRequest.Map mapRequest(int domain) {
            return new VirtioIommuRequest.Map(domain, start, last, paddr, flags);
        }
    }
}
