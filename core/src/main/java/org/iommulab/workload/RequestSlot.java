package org.iommulab.workload;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.TimerCallback;
import org.iommulab.sim.VirtualEngine;

/**
 * One transmit slot of a NIC queue: it takes the next request, maps it with {@code dma_map_sg},
 * hands it to the device and, at the completion on the same CPU (per-CPU queues with affine
 * interrupts), unmaps it and starts the next.
 *
 * <p>A mapping error is retried after the backoff until the last try fails the request, and the
 * next request waits the backoff too. With one try (the default) this is what
 * {@code ndo_start_xmit} does: it drops the packet whose mapping failed; the wait stands in for
 * the stack sending again.
 */
final class RequestSlot {

    private final VirtualEngine engine;
    private final int cpuId;
    private final Device dev;
    private final RequestSource source;
    private final IoCounters counters;
    private final MapRetry retry;
    private final ScatterList sg;
    private final StopFlag stop;
    private final TimerCallback submitFn = this::submit;
    private final TimerCallback prepareFn = this::prepare;
    private final TimerCallback issueFn = this::issue;
    private final TimerCallback completeFn = this::complete;
    private DmaDirection dir;
    private long startNs;
    private int tries;
    private boolean busy;

    RequestSlot(VirtualEngine engine, int cpuId, Device dev, RequestSource source, IoCounters counters,
            MapRetry retry, int maxSegments, StopFlag stop) {
        this.engine = engine;
        this.cpuId = cpuId;
        this.dev = dev;
        this.source = source;
        this.counters = counters;
        this.retry = retry;
        this.sg = new ScatterList(maxSegments);
        this.stop = stop;
    }

    /** Queues the first request on the slot's CPU. */
    void start() {
        engine.post(cpuId, engine.cpu(cpuId).nowNs(), submitFn);
    }

    /** True while the slot holds a request that has neither completed nor failed. */
    boolean busy() {
        return busy;
    }

    private void submit(Cpu cpu) {
        if (stop.stopped()) {
            return;
        }
        dir = source.next(sg);
        counters.submit();
        busy = true;
        tries = 0;
        startNs = cpu.nowNs();
        prepare(cpu);
    }

    /**
     * The driver's work for one attempt; the map runs as the next event, so that the locks it takes
     * are taken at their true time relative to other CPUs (a virtual-time event runs to its end
     * before any event that starts later).
     */
    private void prepare(Cpu cpu) {
        cpu.spend(source.driverCost());
        engine.post(cpuId, cpu.nowNs(), issueFn);
    }

    private void issue(Cpu cpu) {
        tries++;
        int nents = dev.dmaOps().mapSg(cpu, dev, sg, dir, 0);
        if (nents > 0) {
            engine.post(cpuId, source.transfer(cpu.nowNs(), sg, dir), completeFn);
            return;
        }
        counters.mapError();
        if (tries < retry.maxTries()) {
            engine.post(cpuId, cpu.nowNs() + retry.backoffNs(), prepareFn);
            return;
        }
        counters.fail();
        busy = false;
        engine.post(cpuId, cpu.nowNs() + retry.backoffNs(), submitFn);
    }

    private void complete(Cpu cpu) {
        dev.dmaOps().unmapSg(cpu, dev, sg, dir, 0);
        busy = false;
        counters.complete(sg.totalLength(), cpu.nowNs() - startNs);
        engine.post(cpuId, cpu.nowNs(), submitFn);
    }
}
