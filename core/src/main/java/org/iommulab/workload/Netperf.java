package org.iommulab.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Scheduler;

/**
 * netperf-like streaming through NIC-like ports ({@link NicModel}) and a NIC driver's DMA path,
 * with one queue pair per CPU (RSS and XPS): queue q runs on CPU q mod CPUs on port q mod devices.
 *
 * <ul>
 *   <li>Receive ({@link RxQueue}): page-sized buffers mapped {@code FROM_DEVICE} into a ring, one
 *       map and one unmap per frame, frames arriving at the port's line rate.
 *   <li>Transmit: requests of {@code txFragments} random pages mapped {@code TO_DEVICE} with one
 *       {@code dma_map_sg} or, as most drivers do, one {@code dma_map_page} per fragment;
 *       {@code txDepth} in flight per queue, each paying {@link Cost#NET_PACKET}, queued on the
 *       port's transmit side at line rate, unmapped at the completion on the same CPU (a
 *       {@link RequestSlot} each).
 * </ul>
 *
 * <p>Simplified: no TCP (no acknowledgements, windows or retransmits); receive is offered at line
 * rate whatever the CPUs keep up with, and frames that find no buffer are counted as dropped.
 */
public final class Netperf extends AbstractWorkload {

    private final NetperfOptions options;
    private final PerCpuIoCounters rx = new PerCpuIoCounters();
    private final PerCpuIoCounters tx = new PerCpuIoCounters();
    private final List<RxQueue> rxQueues = new ArrayList<>();
    private final List<RequestSlot> txSlots = new ArrayList<>();

    public Netperf(NetperfOptions options) {
        super("netperf");
        this.options = options;
    }

    @Override
    protected void begin(Scheduler engine, Device... devices) {
        for (Device d : devices) {
            d.setDmaMaskBits(64); // as the driver's probe does: dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64))
        }
        NicModel[] ports = new NicModel[devices.length];
        for (int d = 0; d < devices.length; d++) {
            ports[d] = new NicModel(engine, devices[d].name(), options.nicGbps());
        }
        int queues = options.queues() == 0 ? engine.nrCpus() : options.queues();
        SplittableRandom seeds = new SplittableRandom(options.seed());
        long memoryBytes = (long) options.memoryGiB() << 30;
        for (int q = 0; q < queues; q++) {
            int cpu = q % engine.nrCpus();
            int d = q % devices.length;
            SplittableRandom random = seeds.split();
            if (options.traffic() != NetperfOptions.Traffic.TX) {
                int queuesOnPort = (queues - d + devices.length - 1) / devices.length;
                long frameNs = ports[d].frameNs(options.mtu());
                rxQueues.add(new RxQueue(engine, cpu, devices[d], new RandomPages(memoryBytes, random.split()), random.split(), rx.on(engine, cpu),
                        options.rxRingSize(), options.mtu(), frameNs * queuesOnPort, frameNs * (q / devices.length),
                        stop));
            }
            if (options.traffic() != NetperfOptions.Traffic.RX) {
                Sender sender = new Sender(new RandomPages(memoryBytes, random.split()), ports[d]);
                for (int s = 0; s < options.txDepth(); s++) {
                    txSlots.add(new RequestSlot(engine, cpu, devices[d], sender, tx.on(engine, cpu), options.retry(),
                            options.txFragments(),
                            options.txMapping() == NetperfOptions.TxMapping.MAP_PAGE_PER_FRAGMENT, stop));
                }
            }
        }
        rxQueues.forEach(RxQueue::start);
        txSlots.forEach(RequestSlot::start);
    }

    @Override
    public long inFlight() {
        return rx.inFlight() + tx.inFlight();
    }

    /** Both directions together. */
    @Override
    public IoResult result() {
        return rxResult().plus(txResult());
    }

    /** Receive buffers: in flight are those posted in the rings. */
    public IoResult rxResult() {
        return rx.snapshot(rxQueues.stream().mapToLong(RxQueue::posted).sum());
    }

    /** Transmit requests. */
    public IoResult txResult() {
        return tx.snapshot(txSlots.stream().filter(RequestSlot::busy).count());
    }

    /** Received frames that found no posted buffer. */
    public long rxDropped() {
        return rxQueues.stream().mapToLong(RxQueue::dropped).sum();
    }

    /** One transmit queue's sends: fragments of random pages onto its port. */
    private final class Sender implements RequestSource {
        private final RandomPages pages;
        private final NicModel port;

        Sender(RandomPages pages, NicModel port) {
            this.pages = pages;
            this.port = port;
        }

        @Override
        public DmaDirection next(ScatterList sg) {
            pages.fill(sg, (long) options.txFragments() * RandomPages.PAGE_SIZE);
            return DmaDirection.TO_DEVICE;
        }

        @Override
        public long transfer(long atNs, ScatterList sg, DmaDirection dir, long translationNs) {
            // the NIC reads the buffers, walking what its IOTLB misses, before the frames go out
            return port.transmit(atNs + translationNs, sg.totalLength(), options.mtu());
        }

        @Override
        public Cost driverCost() {
            return Cost.NET_PACKET;
        }
    }
}
