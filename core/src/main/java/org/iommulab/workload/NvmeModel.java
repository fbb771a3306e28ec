package org.iommulab.workload;

import java.util.SplittableRandom;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.DeviceQueue;
import org.iommulab.sim.Scheduler;

/**
 * An NVMe-like drive seen from the host ({@link NvmeDrive}): a command submitted at t completes
 * after the media latency, but no earlier than its turn through two serial ceilings, the
 * controller (one command per {@code commandNs}, the IOPS ceiling) and the data transfer
 * ({@code pageTransferNs} per 4 KiB, the bandwidth ceiling). Below the ceilings every
 * I/O sees the latency; at them, completions are spaced by the ceiling, as on a saturated drive.
 *
 * <p>Simplified: no internal queues, channels or garbage collection, and the latency of a large
 * transfer is the larger of the media latency and its transfer time.
 */
final class NvmeModel {

    private final DeviceQueue controller;
    private final DeviceQueue transfer;
    private final long readLatencyNs;
    private final long writeLatencyNs;
    private final long commandNs;
    private final long pageTransferNs;
    private final long latencyJitterNs;

    NvmeModel(Scheduler engine, String name, NvmeDrive drive) {
        CostModel costs = engine.costs();
        this.readLatencyNs = costs.ns(drive.readLatency);
        this.writeLatencyNs = costs.ns(drive.writeLatency);
        this.commandNs = costs.ns(drive.command);
        this.pageTransferNs = costs.ns(drive.pageTransfer);
        this.latencyJitterNs = costs.ns(drive.latencyJitter);
        if (Math.min(readLatencyNs, writeLatencyNs) + commandNs + pageTransferNs == 0) {
            throw new IllegalArgumentException("NVMe costs " + drive.readLatency.key() + ", "
                    + drive.writeLatency.key() + ", " + drive.command.key() + " and "
                    + drive.pageTransfer.key() + " leave an I/O taking 0 ns; give one a value > 0");
        }
        this.controller = engine.newDeviceQueue(name + ".controller");
        this.transfer = engine.newDeviceQueue(name + ".transfer");
    }

    /**
     * A command for {@code bytes} submitted at {@code atNs} whose DMA also waits for
     * {@code translationNs} of IOTLB walks; returns when it completes. Walks of different commands
     * overlap (the device keeps several translations in flight, an assumption), so they lengthen
     * their own command and use none of the controller's or transfer path's time. Its media
     * latency is longer by a uniform share of the drive's latency jitter drawn from {@code random}.
     */
    long submit(long atNs, long bytes, boolean write, long translationNs, SplittableRandom random) {
        long commandDone = controller.reserve(atNs, commandNs) + commandNs;
        long transferNs = (bytes * pageTransferNs + RandomPages.PAGE_SIZE - 1) / RandomPages.PAGE_SIZE;
        long transferDone = transfer.reserve(commandDone, transferNs) + transferNs;
        long latency = (write ? writeLatencyNs : readLatencyNs) + (latencyJitterNs == 0 ? 0 : random.nextLong(latencyJitterNs + 1));
        return Math.max(atNs + latency, transferDone) + translationNs;
    }
}
