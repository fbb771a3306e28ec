package org.iommulab.workload;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;

/**
 * One scatter-gather request a driver holds (a blk-mq request, a transmit packet): its buffers
 * and direction, when it was submitted, how often its mapping was tried and whether it is in
 * flight, with the accounting every driver does alike: submitted, mapping errors, failed or
 * completed. Its segments are mapped with one {@code dma_map_sg}, or each with its own
 * {@code dma_map_page} (a NIC's fragments), where a failure unmaps those already mapped.
 */
final class SgRequest {

    private final Device dev;
    private final RequestSource source;
    private final IoCounters counters;
    private final ScatterList sg;
    private final boolean perSegment;
    private DmaDirection dir;
    private long startNs;
    private int tries;
    private boolean busy;

    /** @param perSegment map each segment with {@code dma_map_page} instead of one {@code dma_map_sg} */
    SgRequest(Device dev, RequestSource source, IoCounters counters, int maxSegments, boolean perSegment) {
        this.dev = dev;
        this.source = source;
        this.counters = counters;
        this.sg = new ScatterList(maxSegments);
        this.perSegment = perSegment;
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
     * One try of {@code dma_map_sg}; if it maps, the driver rings the device's doorbell and the
     * device takes the request.
     *
     * @return when the device completes it, or -1 if the mapping failed (counted as a mapping error)
     */
    long mapAndTransfer(Cpu cpu) {
        tries++;
        if (perSegment ? mapEachSegment(cpu) : dev.dmaOps().mapSg(cpu, dev, sg, dir, 0) > 0) {
            dev.mmio().write(cpu);
            return source.transfer(cpu.nowNs(), sg, dir);
        }
        counters.mapError();
        return -1;
    }

    private boolean mapEachSegment(Cpu cpu) {
        for (int i = 0; i < sg.nents(); i++) {
            long handle = dev.dmaOps().mapPage(cpu, dev, sg.phys(i), sg.length(i), dir, 0);
            if (handle == DmaOps.DMA_MAPPING_ERROR) {
                unmapSegments(cpu, i);
                return false;
            }
            sg.setDma(i, handle, sg.length(i));
        }
        sg.setDmaNents(sg.nents());
        return true;
    }

    private void unmapSegments(Cpu cpu, int count) {
        for (int i = 0; i < count; i++) {
            dev.dmaOps().unmapPage(cpu, dev, sg.dmaAddress(i), sg.dmaLength(i), dir, 0);
        }
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

    /**
     * The device is done: the driver acknowledges the completion with a doorbell write (an NVMe
     * completion-queue head, a NIC's interrupt re-arm), unmaps the request and counts it completed.
     */
    void complete(Cpu cpu) {
        dev.mmio().write(cpu);
        if (perSegment) {
            unmapSegments(cpu, sg.dmaNents());
        } else {
            dev.dmaOps().unmapSg(cpu, dev, sg, dir, 0);
        }
        busy = false;
        counters.complete(sg.totalLength(), cpu.nowNs() - startNs);
    }

    /** True while submitted and neither completed nor failed. */
    boolean busy() {
        return busy;
    }
}
