package org.iommulab.virtio;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.SpinLock;

/**
 * The guest driver's request virtqueue with its {@code request_lock} and list of in-flight
 * requests (drivers/iommu/virtio-iommu.c, v6.8: {@code __viommu_add_req}, {@code __viommu_sync_req},
 * {@code viommu_send_req_sync}). Adding a request only queues it, unless the ring is full: then the
 * driver syncs first. A sync kicks the device (a VM exit), which handles every queued request in
 * order, and busy-waits until all are used; the host's work is spent on the kicking CPU.
 *
 * <p>A sync with nothing queued does not exit: with {@code VIRTIO_RING_F_EVENT_IDX}, which QEMU
 * offers, {@code virtqueue_kick} notifies only when buffers were added since the last kick.
 */
final class RequestVirtqueue {

    private final SpinLock requestLock;
    private final int size;
    private final VirtioIommuBackend host;
    private final ArrayDeque<VirtioIommuRequest> requests = new ArrayDeque<>();
    private final AtomicLong kicks = new AtomicLong();
    private final AtomicLong mapRequests = new AtomicLong();
    private final AtomicLong unmapRequests = new AtomicLong();
    private final AtomicLong otherRequests = new AtomicLong();
    private final AtomicLong queueFullSyncs = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    RequestVirtqueue(Engine engine, int size, VirtioIommuBackend host) {
        this.requestLock = engine.newSpinLock("viommu.request_lock");
        this.size = size;
        this.host = host;
    }

    /** {@code viommu_add_req}: queues {@code req}, syncing first when the ring is full. */
    void addReq(Cpu cpu, VirtioIommuRequest req) {
        requestLock.lock(cpu);
        try {
            addLocked(cpu, req);
        } finally {
            requestLock.unlock(cpu);
        }
    }

    /** {@code viommu_sync_req}: completes every queued request. */
    void syncReq(Cpu cpu) {
        requestLock.lock(cpu);
        try {
            syncLocked(cpu);
        } finally {
            requestLock.unlock(cpu);
        }
    }

    /** {@code viommu_send_req_sync}: queues {@code req}, syncs, and returns its status as an errno. */
    int sendReqSync(Cpu cpu, VirtioIommuRequest req) {
        requestLock.lock(cpu);
        try {
            addLocked(cpu, req);
            return syncLocked(cpu).errno();
        } finally {
            requestLock.unlock(cpu);
        }
    }

    private void addLocked(Cpu cpu, VirtioIommuRequest req) {
        if (requests.size() == size) {
            queueFullSyncs.incrementAndGet();
            syncLocked(cpu);
        }
        cpu.spend(Cost.VIRTIO_REQUEST);
        requests.addLast(req);
        if (req instanceof VirtioIommuRequest.Map) {
            mapRequests.incrementAndGet();
        } else if (req instanceof VirtioIommuRequest.Unmap) {
            unmapRequests.incrementAndGet();
        } else {
            otherRequests.incrementAndGet();
        }
    }

    /** Kicks if anything is queued and returns the status of the last request handled. */
    private VirtioIommuStatus syncLocked(Cpu cpu) {
        VirtioIommuStatus last = VirtioIommuStatus.OK;
        if (requests.isEmpty()) {
            return last;
        }
        cpu.spend(Cost.VIRTIO_KICK);
        kicks.incrementAndGet();
        while (!requests.isEmpty()) {
            last = host.handle(cpu, requests.pollFirst());
            if (last != VirtioIommuStatus.OK) {
                errors.incrementAndGet();
            }
        }
        return last;
    }

    long kicks() {
        return kicks.get();
    }

    long mapRequests() {
        return mapRequests.get();
    }

    long unmapRequests() {
        return unmapRequests.get();
    }

    /** Attach and detach requests. */
    long otherRequests() {
        return otherRequests.get();
    }

    long queueFullSyncs() {
        return queueFullSyncs.get();
    }

    /** Requests the device completed with an error status. */
    long errors() {
        return errors.get();
    }
}
