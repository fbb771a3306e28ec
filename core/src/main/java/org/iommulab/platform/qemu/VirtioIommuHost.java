package org.iommulab.platform.qemu;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.iommulab.fault.FaultAttr;
import org.iommulab.iommu.IommuTrace;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;
import org.iommulab.virtio.VirtioIommuBackend;
import org.iommulab.virtio.VirtioIommuRequest;
import org.iommulab.virtio.VirtioIommuStatus;

/**
 * The virtio-iommu device on the host: QEMU's hw/virtio/virtio-iommu.c (8.x/9.x) with vfio
 * beneath it. It keeps each domain's mappings as the guest requested them and notifies every
 * endpoint of the domain; each MAP or UNMAP is split into pieces that are aligned powers of two
 * in IOVA ({@code virtio_iommu_notify_map_unmap}), and each piece becomes one vfio ioctl on that
 * endpoint's {@link VfioContainer}. An UNMAP removes only whole mappings and stops with
 * {@code VIRTIO_IOMMU_S_RANGE} at one it would split. Attaching an endpoint replays the domain's
 * mappings to it; detaching unmaps them from it and drops the domain with its last endpoint.
 *
 * <p>A MAP or UNMAP may fail with {@code VIRTIO_IOMMU_S_DEVERR} and change nothing when
 * {@code --fault virtio-error} says so: the guest driver never reads the status of the requests it
 * only queues, so a failed MAP leaves the device faulting on the range, and a failed UNMAP leaves
 * the range reachable (its stale window stays open) and makes a later MAP over it fail with
 * {@code VIRTIO_IOMMU_S_INVAL}.
 *
 * <p>Differs from QEMU: no bypass, reserved regions or probe requests; vfio's DMA entry limit is
 * not enforced. Thread-safe: one lock, as QEMU's {@code s->mutex}.
 */
public final class VirtioIommuHost implements VirtioIommuBackend {

    private static final int PAGE_SHIFT = 12;

    private final IommuTrace tracker;
    private final Map<Integer, HostDomain> domains = new HashMap<>();
    private final Map<Device, HostDomain> endpoints = new HashMap<>();
    private long vfioMaps;
    private long vfioUnmaps;
    private long pagesMapped;
    private long pagesUnmapped;
    private long errors;
    private final FaultAttr requestFaults;

    /** @param tracker told when an UNMAP makes pages unreachable, or null */
    public VirtioIommuHost(IommuTrace tracker) {
        this(tracker, FaultAttr.NEVER);
    }

    /**
     * @param tracker told when an UNMAP makes pages unreachable, or null
     * @param requestFaults which MAP and UNMAP requests fail with DEVERR
     */
    public VirtioIommuHost(IommuTrace tracker, FaultAttr requestFaults) {
        this.tracker = tracker == null ? IommuTrace.NONE : tracker;
        this.requestFaults = requestFaults;
    }

    @Override
    public synchronized VirtioIommuStatus handle(Cpu cpu, VirtioIommuRequest req) {
        VirtioIommuStatus status;
        boolean mapOrUnmap = req instanceof VirtioIommuRequest.Map || req instanceof VirtioIommuRequest.Unmap;
        if (mapOrUnmap && requestFaults.shouldFail()) {
            status = VirtioIommuStatus.DEVERR;
        } else if (req instanceof VirtioIommuRequest.Map m) {
            status = map(cpu, m);
        } else if (req instanceof VirtioIommuRequest.Unmap u) {
            status = unmap(cpu, u);
        } else if (req instanceof VirtioIommuRequest.Attach a) {
            status = attach(cpu, a);
        } else {
            status = detach(cpu, (VirtioIommuRequest.Detach) req);
        }
        if (status != VirtioIommuStatus.OK) {
            errors++;
        }
        return status;
    }

    /**
     * A DMA by {@code endpoint} to {@code iova}: the physical address the host IOMMU translates it
     * to, or {@link VirtioIommuBackend#FAULT}.
     */
    @Override
    public synchronized long translate(Device endpoint, long iova, boolean write) {
        HostDomain d = endpoints.get(endpoint);
        return d == null ? FAULT : d.containers.get(endpoint).translate(iova, write);
    }

    /** vfio MAP_DMA ioctls so far, one per power-of-two piece and endpoint. */
    public synchronized long vfioMaps() {
        return vfioMaps;
    }

    /** vfio UNMAP_DMA ioctls so far. */
    public synchronized long vfioUnmaps() {
        return vfioUnmaps;
    }

    /** 4 KiB pages mapped through vfio so far, counted per endpoint. */
    public synchronized long pagesMapped() {
        return pagesMapped;
    }

    /** 4 KiB pages unmapped through vfio so far, counted per endpoint. */
    public synchronized long pagesUnmapped() {
        return pagesUnmapped;
    }

    /** Requests that completed with a status other than OK. */
    public synchronized long errors() {
        return errors;
    }

    private VirtioIommuStatus attach(Cpu cpu, VirtioIommuRequest.Attach req) {
        HostDomain old = endpoints.get(req.endpoint());
        if (old != null) {
            detachEndpoint(cpu, old, req.endpoint());
        }
        HostDomain d = domains.computeIfAbsent(req.domain(), id -> new HostDomain());
        VfioContainer c = new VfioContainer();
        d.containers.put(req.endpoint(), c);
        endpoints.put(req.endpoint(), d);
        for (Mapping m : d.mappings.values()) {
            notifyMap(cpu, c, m);
        }
        return VirtioIommuStatus.OK;
    }

    private VirtioIommuStatus detach(Cpu cpu, VirtioIommuRequest.Detach req) {
        HostDomain d = endpoints.get(req.endpoint());
        if (d == null || d != domains.get(req.domain())) {
            return VirtioIommuStatus.INVAL;
        }
        detachEndpoint(cpu, d, req.endpoint());
        return VirtioIommuStatus.OK;
    }

    private void detachEndpoint(Cpu cpu, HostDomain d, Device endpoint) {
        VfioContainer c = d.containers.remove(endpoint);
        for (Mapping m : d.mappings.values()) {
            notifyUnmap(cpu, c, m);
        }
        endpoints.remove(endpoint);
        if (d.containers.isEmpty()) {
            domains.values().remove(d);
        }
    }

    private VirtioIommuStatus map(Cpu cpu, VirtioIommuRequest.Map req) {
        HostDomain d = domains.get(req.domain());
        if (d == null) {
            return VirtioIommuStatus.NOENT;
        }
        if (d.overlapping(req.virtStart(), req.virtEnd()) != null) {
            return VirtioIommuStatus.INVAL;
        }
        Mapping m = new Mapping(req.virtStart(), req.virtEnd(), req.physStart(), req.flags());
        d.mappings.put(m.low, m);
        for (VfioContainer c : d.containers.values()) {
            notifyMap(cpu, c, m);
        }
        return VirtioIommuStatus.OK;
    }

    private VirtioIommuStatus unmap(Cpu cpu, VirtioIommuRequest.Unmap req) {
        HostDomain d = domains.get(req.domain());
        if (d == null) {
            return VirtioIommuStatus.NOENT;
        }
        Mapping m;
        while ((m = d.overlapping(req.virtStart(), req.virtEnd())) != null) {
            if (Long.compareUnsigned(m.low, req.virtStart()) < 0 || Long.compareUnsigned(m.high, req.virtEnd()) > 0) {
                return VirtioIommuStatus.RANGE;
            }
            for (VfioContainer c : d.containers.values()) {
                notifyUnmap(cpu, c, m);
            }
            d.mappings.remove(m.low);
            tracker.invalidated(cpu.nowNs(), m.low >>> PAGE_SHIFT, (m.high - m.low + 1) >>> PAGE_SHIFT);
        }
        return VirtioIommuStatus.OK;
    }

    private void notifyMap(Cpu cpu, VfioContainer c, Mapping m) {
        long start = m.low;
        while (start != m.high + 1) {
            long size = alignedPow2Size(start, m.high);
            c.mapDma(cpu, start, size, m.phys + (start - m.low), (m.flags & VirtioIommuRequest.MAP_F_WRITE) != 0);
            vfioMaps++;
            pagesMapped += size >>> PAGE_SHIFT;
            start += size;
        }
    }

    private void notifyUnmap(Cpu cpu, VfioContainer c, Mapping m) {
        long start = m.low;
        while (start != m.high + 1) {
            long size = alignedPow2Size(start, m.high);
            if (c.unmapDma(cpu, start)) {
                pagesUnmapped += size >>> PAGE_SHIFT;
            }
            vfioUnmaps++;
            start += size;
        }
    }

    /**
     * The size of the next notification from {@code start} (QEMU's {@code dma_aligned_pow2_mask}):
     * the largest power of two that {@code start} is aligned to and that fits up to {@code end}.
     */
    static long alignedPow2Size(long start, long end) {
        long fit = Long.highestOneBit(end - start + 1);
        long align = Long.lowestOneBit(start);
        return start == 0 || Long.compareUnsigned(fit, align) < 0 ? fit : align;
    }

    /** One MAP request's range as the device keeps it. */
    private record Mapping(long low, long high, long phys, int flags) {}

    /** A domain: its mappings, and the container of each attached endpoint. */
    private static final class HostDomain {
        final TreeMap<Long, Mapping> mappings = new TreeMap<>(Long::compareUnsigned);
        final Map<Device, VfioContainer> containers = new LinkedHashMap<>();

        /** The lowest mapping that overlaps {@code [low, high]}, or null. */
        Mapping overlapping(long low, long high) {
            Map.Entry<Long, Mapping> before = mappings.floorEntry(low);
            if (before != null && Long.compareUnsigned(before.getValue().high, low) >= 0) {
                return before.getValue();
            }
            Map.Entry<Long, Mapping> after = mappings.ceilingEntry(low);
            return after != null && Long.compareUnsigned(after.getKey(), high) <= 0 ? after.getValue() : null;
        }
    }
}
