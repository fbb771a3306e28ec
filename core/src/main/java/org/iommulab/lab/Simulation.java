package org.iommulab.lab;

import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.iommulab.fault.Faults;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.kernel.DmaDebugOps;
import org.iommulab.kernel.MapFailure;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.iommulab.sim.virtual.VirtualResourceStats;
import org.iommulab.stats.CpuTime;
import org.iommulab.stats.DeviceCounts;
import org.iommulab.stats.FaultCounts;
import org.iommulab.stats.IoCounts;
import org.iommulab.stats.LimitedBy;
import org.iommulab.stats.RunStats;
import org.iommulab.stats.StaleWindow;
import org.iommulab.stats.StaleWindowTracker;
import org.iommulab.stats.Throughput;
import org.iommulab.trace.TracingDmaOps;
import org.iommulab.workload.IoFailures;
import org.iommulab.workload.IoResult;
import org.iommulab.workload.Workload;

/**
 * One run of a {@link Scenario} in virtual time: builds the machine, starts the workload, runs for
 * the scenario's duration, then stops submitting and lets every I/O in flight finish, as fio does
 * at the end of its runtime, so that each I/O ends completed or failed. Rates are per second of
 * the virtual time the run took, drain included. Timers still pending then (a flush queue's
 * timeout, depot trimming) do not run: pages unmapped but not yet invalidated at the end are
 * reported as still open.
 */
public final class Simulation {

    /** The drain runs in steps of this much virtual time until nothing is in flight. */
    private static final long DRAIN_STEP_NS = 100_000;
    /** An I/O still in flight this long after the runtime is a model bug, not a slow device. */
    private static final long MAX_DRAIN_NS = 60_000_000_000L;

    private Simulation() {}

    /**
     * How many of {@code scenarios} to run at once on {@code cores}: no more than this JVM's heap
     * holds at their memory estimate, so a batch's memory stays bounded by its runs' live state
     * however many cores the machine has.
     */
    public static int concurrentRuns(List<Scenario> scenarios, int cores) {
        return MemoryEstimate.concurrentRuns(scenarios, cores, Runtime.getRuntime().maxMemory());
    }

    /** Runs {@code s}; see {@link #run(Scenario, Progress)}. */
    public static RunStats run(Scenario s) {
        return run(s, Progress.NONE);
    }

    /** Told how far a run has got, for a progress display; called on the running thread. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (doneNs, totalNs) -> { };

        void advanced(long doneNs, long totalNs);
    }

    /** The run time is simulated in this many steps, so that progress can be shown between them. */
    private static final int PROGRESS_STEPS = 100;

    /**
     * Runs {@code s}, telling {@code progress} after each hundredth of its virtual run time. The
     * steps change nothing: events run in time order whatever the step boundaries.
     *
     * @throws IllegalArgumentException when it would not fit this JVM's heap, saying what to reduce
     */
    public static RunStats run(Scenario s, Progress progress) {
        return run(s, progress, s.costs(), null);
    }

    /**
     * Runs {@code s} as {@link #run(Scenario, Progress)} does, writing every DMA call of its
     * workload to {@code traceOut} as the kernel's {@code dma:*} tracepoints print them.
     */
    public static RunStats run(Scenario s, Progress progress, Writer traceOut) {
        TracingDmaOps.header(traceOut);
        return run(s, progress, s.costs(), traceOut);
    }

    /**
     * The costs a run of {@code s} charges (those its platform, policy and workload read), for
     * choosing what a calibration can fit.
     */
    public static Set<Cost> costsCharged(Scenario s) {
        CostModel costs = s.costs();
        run(s, Progress.NONE, costs, null);
        Set<Cost> out = EnumSet.noneOf(Cost.class);
        for (Cost c : Cost.values()) {
            if (costs.wasRead(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static RunStats run(Scenario s, Progress progress, CostModel costs, Writer traceOut) {
        MemoryEstimate.check(s, Runtime.getRuntime().maxMemory());
        long wallStart = System.nanoTime();
        VirtualEngine engine = new VirtualEngine(s.cpus(), costs, s.timerWheel());
        StaleWindowTracker tracker = new StaleWindowTracker();
        if (s.faults().mayLoseFlushes()) {
            tracker.expectLostFlushes();
        }
        Machine machine = Machines.build(s, engine, tracker);
        DeviceTranslation hardware = machine.plugDevice();
        List<DmaDebugOps> debug = new ArrayList<>();
        for (Device d : machine.devices()) {
            d.setTranslation(hardware);
            if (!s.faults().equals(Faults.NONE) && d.dmaOps() != null) {
                DmaDebugOps checked = new DmaDebugOps(d.dmaOps());
                debug.add(checked);
                d.setDmaOps(checked);
            }
            if (traceOut != null && d.dmaOps() != null) {
                d.setDmaOps(new TracingDmaOps(d.dmaOps(), traceOut));
            }
        }
        Workload workload = s.workload().create(s.seed());
        workload.start(engine, machine.devices());
        long t = s.durationMs() * 1_000_000L;
        for (int step = 1; step <= PROGRESS_STEPS; step++) {
            long until = t / PROGRESS_STEPS * step + (step == PROGRESS_STEPS ? t % PROGRESS_STEPS : 0);
            engine.runUntil(until);
            progress.advanced(until, t);
        }
        workload.stop();
        // the accounting's count, cheap at every step; result() checks it against the requests held
        for (long limit = t + MAX_DRAIN_NS; workload.inFlight() > 0; ) {
            if (t >= limit) {
                throw new IllegalStateException(workload.inFlight() + " I/Os still in flight "
                        + MAX_DRAIN_NS / 1_000_000 + " ms after the end of " + s);
            }
            t += DRAIN_STEP_NS;
            engine.runUntil(t);
        }
        IoResult r = workload.result();
        long virtualNs = engine.nowNs();
        CpuTime cpu = CpuTime.from(engine);
        List<VirtualResourceStats> resources = engine.resourceStats();
        IoCounts io = new IoCounts(r.submitted(), r.completed(), r.failed(), failedByCause(r.failedBy()), r.mapErrors(),
                mapErrorsByCause(machine), r.bytes());
        FaultCounts faults = new FaultCounts(machine.faults().injected(), !debug.isEmpty(),
                debug.stream().mapToLong(DmaDebugOps::errors).sum(),
                debug.stream().mapToLong(DmaDebugOps::liveMappings).sum());
        List<String> warnings = new ArrayList<>(RunWarnings.of(s, machine, io, engine.costs()));
        debug.forEach(d -> warnings.addAll(RunWarnings.dmaDebug(d)));
        return new RunStats(
                s.describe(machine.hvProfile(), machine.flushQueueOptions()),
                io,
                Throughput.of(io, virtualNs),
                cpu,
                machine.rpcit(),
                machine.pages(),
                machine.flushQueue(),
                StaleWindow.at(tracker, virtualNs),
                machine.hypervisor(),
                new DeviceCounts(hardware.iotlbMisses(), r.translationFaults()),
                machine.memory(),
                faults,
                engine.metrics().snapshot(),
                resources,
                warnings,
                LimitedBy.of(resources, cpu, virtualNs),
                virtualNs,
                (System.nanoTime() - wallStart) / 1_000_000,
                tracker.timeline(virtualNs),
                workload.notes());
    }

    /** Failed I/Os by cause, every cause present. */
    private static Map<String, Long> failedByCause(IoFailures f) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("mapError", f.mapError());
        out.put("translationFault", f.translationFault());
        out.put("deviceError", f.deviceError());
        return out;
    }

    /** Every cause, 0 where it never happened, so that every run has the same keys. */
    private static Map<String, Long> mapErrorsByCause(Machine machine) {
        Map<String, Long> out = new TreeMap<>();
        Map<MapFailure, Long> seen = machine.mapErrorsByCause();
        for (MapFailure f : MapFailure.values()) {
            out.put(f.key(), seen.getOrDefault(f, 0L));
        }
        return out;
    }
}
