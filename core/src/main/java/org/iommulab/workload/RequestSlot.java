package org.iommulab.workload;

import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Scheduler;
import org.iommulab.sim.TimerCallback;

/**
 * One transmit slot of a NIC queue: it takes the next request, maps it ({@link SgRequest}),
 * hands it to the device and, at the completion on the same CPU (per-CPU queues with affine
 * interrupts), unmaps it and starts the next.
 *
 * <p>A mapping error is retried after the backoff until the last try fails the request, and the
 * next request waits the backoff too. With one try (the default) this is what
 * {@code ndo_start_xmit} does: it drops the packet whose mapping failed; the wait stands in for
 * the stack sending again.
 */
final class RequestSlot {

    private final Scheduler engine;
    private final int cpuId;
    private final SgRequest request;
    private final MapRetry retry;
    private final StopFlag stop;
    private final TimerCallback submitFn = this::submit;
    private final TimerCallback prepareFn = this::prepare;
    private final TimerCallback issueFn = this::issue;
    private final TimerCallback completeFn = this::complete;

    RequestSlot(Scheduler engine, int cpuId, Device dev, RequestSource source, IoCounters counters,
            MapRetry retry, int maxSegments, boolean mapPerSegment, StopFlag stop) {
        this.engine = engine;
        this.cpuId = cpuId;
        this.request = new SgRequest(dev, source, counters, maxSegments, BlockLimits.NONE, mapPerSegment,
                engine.costs());
        this.retry = retry;
        this.stop = stop;
    }

    /** Queues the first request on the slot's CPU. */
    void start() {
        engine.post(cpuId, engine.cpu(cpuId).nowNs(), submitFn);
    }

    /** True while the slot holds a request that has neither completed nor failed. */
    boolean busy() {
        return request.busy();
    }

    private void submit(Cpu cpu) {
        if (stop.stopped()) {
            return;
        }
        request.submit(cpu);
        prepare(cpu);
    }

    /**
     * The driver's work for one attempt; the map runs as the next event, so that the locks it takes
     * are taken at their true time relative to other CPUs (a virtual-time event runs to its end
     * before any event that starts later).
     */
    private void prepare(Cpu cpu) {
        request.spendDriverCost(cpu);
        engine.post(cpuId, cpu.nowNs(), issueFn);
    }

    private void issue(Cpu cpu) {
        long doneNs = request.mapAndTransfer(cpu);
        if (doneNs >= 0) {
            engine.post(cpuId, doneNs, completeFn);
        } else if (request.mayRetry(retry, stop)) {
            engine.post(cpuId, cpu.nowNs() + retry.backoffNs(), prepareFn);
        } else {
            request.fail();
            engine.post(cpuId, cpu.nowNs() + retry.backoffNs(), submitFn);
        }
    }

    private void complete(Cpu cpu) {
        request.complete(cpu);
        submit(cpu);
    }
}
