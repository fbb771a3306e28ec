package org.iommulab.workload;

import java.util.SplittableRandom;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Scheduler;
import org.iommulab.sim.TimerCallback;

/**
 * One NIC receive queue and its NAPI poll on one CPU: a ring of page-sized buffers, each mapped
 * {@code FROM_DEVICE} when posted. Frames for this queue arrive at a fixed interval (the port's
 * line rate shared evenly by its queues, as RSS spreads many flows); a frame takes the oldest
 * buffer posted before it arrived, or is dropped for want of one (the NIC's out-of-buffer
 * counter). Each poll handles up to {@link #NAPI_POLL_WEIGHT} frames that have arrived (the
 * unmap, then the driver's work {@link Cost#NET_PACKET}), refills the ring, and runs again at the
 * next arrival or at once if frames are waiting. Once stopped it no longer refills, and the
 * frames that keep arriving fill what is posted.
 *
 * <p>Each posted buffer is an I/O: it completes when a frame in it is handed up (latency: frame
 * arrival to hand-up), and fails when its mapping fails; the driver then stops refilling until
 * the next poll, as drivers count a buffer allocation error and retry on the next poll. Buffers
 * still in the ring are in flight.
 */
final class RxQueue {

    /** {@code NAPI_POLL_WEIGHT}: the frames one poll may handle (include/linux/netdevice.h). */
    static final int NAPI_POLL_WEIGHT = 64;

    private final Scheduler engine;
    private final int cpuId;
    private final Device dev;
    private final RandomPages pages;
    private final SplittableRandom random;
    private final long jitterNs;
    private final IoCounters counters;
    private final int mtu;
    private final long intervalNs;
    private final long offsetNs;
    private final long[] ringDma;
    private final long[] ringPostedNs;
    private final StopFlag stop;
    private final TimerCallback pollFn = this::poll;
    private int head;
    private int count;
    private long nextArrivalNs;
    private long dropped;
    private int budget = NAPI_POLL_WEIGHT;
    private boolean refilling;

    /**
     * @param intervalNs the time between two frames for this queue
     * @param offsetNs when this queue's first frame arrives after its ring is first filled
     * @param random draws each frame's arrival up to {@link Cost#NIC_ARRIVAL_JITTER} off the schedule
     */
    RxQueue(Scheduler engine, int cpuId, Device dev, RandomPages pages, SplittableRandom random, IoCounters counters,
            int ringSize, int mtu, long intervalNs, long offsetNs, StopFlag stop) {
        this.engine = engine;
        this.cpuId = cpuId;
        this.dev = dev;
        this.pages = pages;
        this.random = random;
        this.jitterNs = Math.min(engine.costs().ns(Cost.NIC_ARRIVAL_JITTER), 2 * (intervalNs - 1));
        this.counters = counters;
        this.mtu = mtu;
        this.intervalNs = intervalNs;
        this.offsetNs = offsetNs;
        this.ringDma = new long[ringSize];
        this.ringPostedNs = new long[ringSize];
        this.stop = stop;
    }

    /** Queues the opening of the queue: the first full refill, after which frames start to arrive. */
    void start() {
        engine.post(cpuId, engine.cpu(cpuId).nowNs(), this::open);
    }

    /** Buffers posted and not yet filled. */
    int posted() {
        return count;
    }

    /** Frames that found no buffer. */
    long dropped() {
        return dropped;
    }

    private void open(Cpu cpu) {
        nextArrivalNs = Long.MAX_VALUE;
        refilling = true;
        poll(cpu);
    }

    /**
     * One step of the poll, so that virtual time interleaves CPUs finely: hand up one frame while
     * the budget lasts and frames are waiting, then post one buffer while the ring has room, then
     * sleep until the next frame arrives.
     */
    private void poll(Cpu cpu) {
        if (!refilling) {
            if (budget > 0 && receiveOne(cpu)) {
                budget--;
                engine.post(cpuId, cpu.nowNs(), pollFn);
                return;
            }
            refilling = true;
        }
        if (!stop.stopped() && count < ringDma.length && refillOne(cpu)) {
            engine.post(cpuId, cpu.nowNs(), pollFn);
            return;
        }
        if (stop.stopped() && count == 0) {
            return; // drained: every posted buffer was filled and handed up
        }
        if (nextArrivalNs == Long.MAX_VALUE) {
            nextArrivalNs = cpu.nowNs() + offsetNs;
        }
        refilling = false;
        budget = NAPI_POLL_WEIGHT;
        engine.post(cpuId, nextArrivalNs, pollFn);
    }

    /** Hands up the next frame that has arrived, dropping those that found no buffer; false if none. */
    private boolean receiveOne(Cpu cpu) {
        while (nextArrivalNs <= cpu.nowNs()) {
            long arrival = nextArrivalNs;
            nextArrivalNs += intervalNs + (jitterNs == 0 ? 0 : random.nextLong(jitterNs + 1) - jitterNs / 2);
            if (count > 0 && ringPostedNs[head] <= arrival) {
                receive(cpu, arrival);
                return true;
            }
            dropped++;
        }
        return false;
    }

    private void receive(Cpu cpu, long arrivalNs) {
        dev.dmaOps().unmapPage(cpu, dev, ringDma[head], RandomPages.PAGE_SIZE, DmaDirection.FROM_DEVICE, 0);
        cpu.spend(Cost.NET_PACKET);
        head = (head + 1) % ringDma.length;
        count--;
        if (dev.transferErrors().shouldFail()) {
            counters.failDevice(); // the descriptor says the frame is bad: the driver drops it
        } else {
            counters.complete(mtu, cpu.nowNs() - arrivalNs);
        }
    }

    /** Posts one buffer; false when its mapping failed. */
    private boolean refillOne(Cpu cpu) {
        counters.submit();
        long dma = dev.dmaOps().mapPage(cpu, dev, pages.page(), RandomPages.PAGE_SIZE, DmaDirection.FROM_DEVICE, 0);
        if (dma == DmaOps.DMA_MAPPING_ERROR) {
            counters.mapError();
            counters.failMapping();
            return false;
        }
        int tail = (head + count) % ringDma.length;
        ringDma[tail] = dma;
        ringPostedNs[tail] = cpu.nowNs();
        count++;
        return true;
    }
}
