package org.iommulab.workload;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;

/**
 * One scatter-gather request a driver holds (a blk-mq request, a transmit packet): its buffers
 * and direction, when it was submitted, how often its mapping was tried and whether it is in
 * flight, with the accounting every driver does alike: submitted, mapping errors, failed or
 * completed.
 */
final class SgRequest {

    private final Device dev;
    private final RequestSource source;
    private final IoCounters counters;
    private final ScatterList sg;
    private DmaDirection dir;
    private long startNs;
    private int tries;
    private boolean busy;

    SgRequest(Device dev, RequestSource source, IoCounters counters, int maxSegments) {
        this.dev = dev;
        this.source = source;
        this.counters = counters;
        this.sg = new ScatterList(maxSegments);
    }

    /** Takes the next request from the source: submitted, in flight, not yet tried. */
    void submit(Cpu cpu) {
        dir = source.next(sg);
        counters.submit();
        busy = true;
        tries = 0;
        startNs = cpu.nowNs();
    }

    /** The driver's work for one try. */
    void spendDriverCost(Cpu cpu) {
        cpu.spend(source.driverCost());
    }

    /**
     * One try of {@code dma_map_sg}; if it maps, the device takes the request.
     *
     * @return when the device completes it, or -1 if the mapping failed (counted as a mapping error)
     */
    long mapAndTransfer(Cpu cpu) {
        tries++;
        if (dev.dmaOps().mapSg(cpu, dev, sg, dir, 0) > 0) {
            return source.transfer(cpu.nowNs(), sg, dir);
        }
        counters.mapError();
        return -1;
    }

    /** Whether {@code retry} allows another try. */
    boolean mayRetry(MapRetry retry) {
        return tries < retry.maxTries();
    }

    /** Gives the request up: failed. */
    void fail() {
        counters.fail();
        busy = false;
    }

    /** The device is done: unmaps the request and counts it completed. */
    void complete(Cpu cpu) {
        dev.dmaOps().unmapSg(cpu, dev, sg, dir, 0);
        busy = false;
        counters.complete(sg.totalLength(), cpu.nowNs() - startNs);
    }

    /** True while submitted and neither completed nor failed. */
    boolean busy() {
        return busy;
    }
}
