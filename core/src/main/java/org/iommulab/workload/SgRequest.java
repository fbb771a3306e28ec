package org.iommulab.workload;

import java.util.Arrays;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;

/**
 * One scatter-gather request a driver holds (a blk-mq request, a transmit packet): its buffers
 * and direction, when it was submitted, how often its mapping was tried and whether it is in
 * flight, with the accounting every driver does alike: submitted, mapping errors, failed or
 * completed. An I/O larger than the block layer's limits is split into requests that are mapped,
 * issued and completed together, as one fio I/O whose parts are separate device commands. Each
 * part's segments are mapped with one {@code dma_map_sg}, or each with its own
 * {@code dma_map_page} (a NIC's fragments), where a failure unmaps those already mapped.
 */
final class SgRequest {

    private final Device dev;
    private final RequestSource source;
    private final IoCounters counters;
    private final BlockLimits limits;
    /** The I/O as the source fills it. */
    private final ScatterList sg;
    private final boolean perSegment;
    /** Device time per IOTLB miss, {@link Cost#DEVICE_IOTLB_MISS}. */
    private final long missNs;
    /** The requests the block layer split the I/O into, by {@link #limits}; just {@link #sg} when it fits. */
    private ScatterList[] parts;
    private int nparts;
    private DmaDirection dir;
    private long startNs;
    private int tries;
    private boolean busy;
    /** The device met an access it could not translate: the I/O ends as an error. */
    private boolean faulted;
    /** The device ended a part with an error status: the I/O ends as an error. */
    private boolean deviceError;

    /**
     * @param limits the block layer's limits an I/O is split by (each part its own map and command)
     * @param perSegment map each segment with {@code dma_map_page} instead of one {@code dma_map_sg}
     */
    SgRequest(Device dev, RequestSource source, IoCounters counters, int maxSegments, BlockLimits limits,
            boolean perSegment, CostModel costs) {
        this.missNs = costs.ns(Cost.DEVICE_IOTLB_MISS);
        this.dev = dev;
        this.source = source;
        this.counters = counters;
        this.limits = limits;
        this.sg = new ScatterList(maxSegments);
        this.perSegment = perSegment;
        this.parts = new ScatterList[] {sg};
    }

    /** Takes the next request from the source: submitted, in flight, not yet tried. */
    void submit(Cpu cpu) {
        dir = source.next(sg);
        split();
        counters.submit();
        busy = true;
        tries = 0;
        startNs = cpu.nowNs();
    }

    /** {@code blk_bio_segment_split}: consecutive segments up to the limits form one request each. */
    private void split() {
        if (sg.totalLength() <= limits.maxBytes() && sg.nents() <= limits.maxSegments()) {
            parts[0] = sg;
            nparts = 1;
            return;
        }
        nparts = 0;
        ScatterList part = null;
        long bytes = 0;
        for (int i = 0; i < sg.nents(); i++) {
            int len = sg.length(i);
            if (part == null || bytes + len > limits.maxBytes() || part.nents() == limits.maxSegments()) {
                part = nextPart();
                bytes = 0;
            }
            part.add(sg.phys(i), len);
            bytes += len;
        }
    }

    private ScatterList nextPart() {
        if (nparts == parts.length) {
            parts = Arrays.copyOf(parts, parts.length * 2);
        }
        ScatterList p = parts[nparts];
        if (p == null || p == sg) {
            p = new ScatterList(Math.min(limits.maxSegments(), sg.nents()));
            parts[nparts] = p;
        }
        p.clear();
        nparts++;
        return p;
    }

    /** The driver's work for one try: once per request the I/O was split into. */
    void spendDriverCost(Cpu cpu) {
        cpu.spend(source.driverCost(), nparts);
    }

    /**
     * One try of mapping every request the I/O was split into; if all map, the driver rings the
     * device's doorbell for each and the device takes them.
     *
     * @return when the device completes the last, or -1 if a mapping failed (counted as a mapping
     *     error; the parts already mapped are unmapped)
     */
    long mapAndTransfer(Cpu cpu) {
        tries++;
        for (int k = 0; k < nparts; k++) {
            if (!(perSegment ? mapEachSegment(cpu, parts[k]) : dev.dmaOps().mapSg(cpu, dev, parts[k], dir, 0) > 0)) {
                for (int j = 0; j < k; j++) {
                    unmap(cpu, parts[j]);
                }
                counters.mapError();
                return -1;
            }
        }
        long doneNs = 0;
        for (int k = 0; k < nparts; k++) {
            dev.mmio().write(cpu);
            long misses = dev.translation().iotlbMisses();
            translate(parts[k]);
            deviceError |= dev.transferErrors().shouldFail();
            long translationNs = (dev.translation().iotlbMisses() - misses) * missNs;
            doneNs = Math.max(doneNs, source.transfer(cpu.nowNs(), parts[k], dir, translationNs));
        }
        return doneNs;
    }

    /**
     * The device's DMA of one request, page by page through the platform's translation: a write
     * to memory for a read from the device. An access that faults fails the I/O.
     */
    private void translate(ScatterList part) {
        boolean write = dir != DmaDirection.TO_DEVICE;
        long faults = 0;
        for (int i = 0; i < part.dmaNents(); i++) {
            long start = part.dmaAddress(i);
            long end = start + part.dmaLength(i);
            for (long page = start & ~(RandomPages.PAGE_SIZE - 1L); page < end; page += RandomPages.PAGE_SIZE) {
                if (dev.translation().translate(Math.max(page, start), write) < 0) {
                    faults++;
                }
            }
        }
        if (faults > 0) {
            faulted = true;
            counters.translationFaults(faults);
        }
    }

    private boolean mapEachSegment(Cpu cpu, ScatterList part) {
        for (int i = 0; i < part.nents(); i++) {
            long handle = dev.dmaOps().mapPage(cpu, dev, part.phys(i), part.length(i), dir, 0);
            if (handle == DmaOps.DMA_MAPPING_ERROR) {
                unmapSegments(cpu, part, i);
                return false;
            }
            part.setDma(i, handle, part.length(i));
        }
        part.setDmaNents(part.nents());
        return true;
    }

    private void unmap(Cpu cpu, ScatterList part) {
        if (perSegment) {
            unmapSegments(cpu, part, part.dmaNents());
        } else {
            dev.dmaOps().unmapSg(cpu, dev, part, dir, 0);
        }
    }

    private void unmapSegments(Cpu cpu, ScatterList part, int count) {
        for (int i = 0; i < count; i++) {
            dev.dmaOps().unmapPage(cpu, dev, part.dmaAddress(i), part.dmaLength(i), dir, 0);
        }
    }

    /**
     * Whether {@code retry} allows another try. Once the workload has stopped a failed map is not
     * tried again and the I/O fails, as fio gives up what it cannot issue when its runtime is over:
     * the run's drain then ends even where no map can ever succeed (an injected fault, an IOVA
     * space smaller than one request).
     */
    boolean mayRetry(MapRetry retry, StopFlag stop) {
        return tries < retry.maxTries() && !stop.stopped();
    }

    /** Gives the request up after its maps kept failing: failed. */
    void fail() {
        counters.failMapping();
        busy = false;
    }

    /**
     * The device is done with every part: for each the driver acknowledges the completion with a
     * doorbell write (an NVMe completion-queue head, a NIC's interrupt re-arm) and unmaps it; the
     * I/O counts completed once, or failed if the device met a translation fault or reported an
     * error (a fault first, as the error it causes).
     */
    void complete(Cpu cpu) {
        for (int k = 0; k < nparts; k++) {
            dev.mmio().write(cpu);
            unmap(cpu, parts[k]);
        }
        busy = false;
        if (faulted) {
            faulted = false;
            deviceError = false;
            counters.failTranslation();
        } else if (deviceError) {
            deviceError = false;
            counters.failDevice();
        } else {
            counters.complete(sg.totalLength(), cpu.nowNs() - startNs);
        }
    }

    /** True while submitted and neither completed nor failed. */
    boolean busy() {
        return busy;
    }
}
