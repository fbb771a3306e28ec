package org.iommulab.workload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.iommulab.kernel.Device;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.Scheduler;
import org.iommulab.sim.TimerCallback;

/**
 * One blk-mq hardware queue ({@code struct blk_mq_hw_ctx}, block/blk-mq.c, v6.7) and the NVMe
 * queue pair beneath it, on one CPU, with one request per tag. {@code queue_rq} pays the driver's
 * cost and maps the request with {@code dma_map_sg} (nvme_map_data); the device completes it on
 * the same CPU (per-CPU queues, affine interrupts), which unmaps it and submits the tag's next.
 *
 * <p>A request whose mapping fails returns BLK_STS_RESOURCE and goes on the dispatch list, which
 * then holds back every later request, as {@code blk_mq_dispatch_rq_list} does. The queue runs
 * again at once after a failed direct issue (the queue is not yet marked SCHED_RESTART), at the
 * next completion once it is marked, and after the backoff ({@code BLK_MQ_RESOURCE_DELAY}, the
 * delayed run work re-armed by each failed run). Deliberate difference: a request fails after
 * {@link MapRetry#maxTries()} tries (blk-mq never fails it), so a run can report I/Os that could
 * not be mapped; the new request of that tag then queues behind the others.
 *
 * <p>Each map starts its own event, after the driver's work, so that the locks it takes are taken
 * at their true time relative to other CPUs (an event runs to its end before any event that starts
 * later); a run issues one request of the dispatch list per step. A completion event unmaps first,
 * then submits the tag's next request, whose work takes no lock before its map.
 */
final class BlkMqHwCtx {

    private final Scheduler engine;
    private final int cpuId;
    private final Device dev;
    private final RequestSource source;
    private final IoCounters counters;
    private final MapRetry retry;
    private final StopFlag stop;
    private final List<Request> requests = new ArrayList<>();
    private final ArrayDeque<Request> dispatch = new ArrayDeque<>();
    private final TimerCallback runFn = this::run;
    private final KTimer delayedRun;
    /** SCHED_RESTART: a run left requests behind; the next completion runs the queue. */
    private boolean restart;
    /** A run is issuing the head of the dispatch list. */
    private boolean running;

    BlkMqHwCtx(Scheduler engine, int cpuId, Device dev, RequestSource source, IoCounters counters,
            MapRetry retry, int depth, int maxSegments, BlockLimits limits, StopFlag stop) {
        this.engine = engine;
        this.cpuId = cpuId;
        this.dev = dev;
        this.source = source;
        this.counters = counters;
        this.retry = retry;
        this.stop = stop;
        this.delayedRun = engine.newTimer(dev.name() + ".hctx" + cpuId + ".run_work", runFn);
        for (int i = 0; i < depth; i++) {
            requests.add(new Request(maxSegments, limits));
        }
    }

    /** Queues the first request of every tag on the queue's CPU. */
    void start() {
        for (Request r : requests) {
            engine.post(cpuId, engine.cpu(cpuId).nowNs(), r.submitFn);
        }
    }

    /** Requests submitted and not yet completed or failed: at the device or on the dispatch list. */
    long inFlight() {
        return requests.stream().filter(r -> r.request.busy()).count();
    }

    /** {@code blk_mq_run_hw_queue}: starts issuing the dispatch list, head first. */
    private void run(Cpu cpu) {
        if (running || dispatch.isEmpty()) {
            return;
        }
        running = true;
        restart = true;
        dispatch.peekFirst().queueRq(cpu, true);
    }

    /** One tag and the request it carries. */
    private final class Request {
        private final SgRequest request;
        private final TimerCallback submitFn = this::submit;
        private final TimerCallback mapFn = this::map;
        private final TimerCallback completeFn = this::complete;
        private boolean fromRun;

        Request(int maxSegments, BlockLimits limits) {
            this.request = new SgRequest(dev, source, counters, maxSegments, limits, false, engine.costs());
        }

        private void submit(Cpu cpu) {
            if (stop.stopped()) {
                return;
            }
            request.submit(cpu);
            if (dispatch.isEmpty()) {
                queueRq(cpu, false);
            } else {
                dispatch.addLast(this);
            }
        }

        /** {@code queue_rq}, first the driver's work; the map follows as the next event. */
        private void queueRq(Cpu cpu, boolean run) {
            fromRun = run;
            request.spendDriverCost(cpu);
            engine.post(cpuId, cpu.nowNs(), mapFn);
        }

        private void map(Cpu cpu) {
            long doneNs = request.mapAndTransfer(cpu);
            if (doneNs >= 0) {
                engine.post(cpuId, doneNs, completeFn);
                dispatched(cpu);
            } else if (!request.mayRetry(retry, stop)) {
                request.fail();
                engine.post(cpuId, cpu.nowNs(), submitFn);
                dispatched(cpu);
            } else if (fromRun) {
                running = false;
                delayedRun.mod(cpu, retry.backoffNs());
            } else {
                dispatch.addLast(this);
                engine.post(cpuId, cpu.nowNs(), runFn);
            }
        }

        /** The request left the queue, issued or failed; a run goes on with the next. */
        private void dispatched(Cpu cpu) {
            if (fromRun) {
                dispatch.pollFirst();
                running = false;
                run(cpu);
            }
        }

        private void complete(Cpu cpu) {
            request.complete(cpu);
            if (restart) {
                restart = false;
                run(cpu);
            }
            submit(cpu);
        }
    }
}
