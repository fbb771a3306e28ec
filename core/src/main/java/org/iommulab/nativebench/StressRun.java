package org.iommulab.nativebench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.iommulab.config.Records;
import org.iommulab.fault.FaultKind;
import org.iommulab.fault.Faults;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.WorkloadSpec;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.sim.Engine;
import org.iommulab.workload.MapBenchOptions;

/**
 * A randomized stress run on real threads: for each platform and DMA mode asked for (the old s390
 * modes only on s390), the machine is assembled on a native engine with free costs and its device
 * is driven by {@link StressWorker}s, one per CPU, which check the safety invariants as they go.
 * The guest has 1 GiB, so the s390 aperture is small enough for the old scheme's allocator to wrap
 * within a short run.
 */
public final class StressRun {

    /** The least time the workers may drive traffic after the run so that its last unmaps are flushed. */
    static final long MIN_DRAIN_NS = 200_000_000;
    /**
     * The single queue's size and timeout here: its defaults (32768 entries, 1 s) would rarely
     * flush, or reuse an IOVA, within a short run; smaller, the same code flushes and reuses often.
     */
    static final int SINGLE_FQ_SIZE = 1024;
    static final int SINGLE_FQ_TIMEOUT_MS = 20;
    /** Guest memory for the stress machines: a 1 GiB s390 aperture. */
    static final int GUEST_MEMORY_GIB = 1;

    /**
     * @param durationMs the whole run's time, shared out evenly among the platform and mode pairs
     */
    public record Options(int threads, long durationMs, long seed, List<PlatformKind> platforms, List<InvalidationPolicy> modes,
            Faults faults) {

        /** Options that inject nothing. */
        public Options(int threads, long durationMs, long seed, List<PlatformKind> platforms, List<InvalidationPolicy> modes) {
            this(threads, durationMs, seed, platforms, modes, Faults.NONE);
        }

        public Options {
            if (threads < 1 || threads > Scenario.MAX_CPUS) {
                throw new IllegalArgumentException("threads " + threads + "; allowed 1.." + Scenario.MAX_CPUS);
            }
            if (durationMs < 1) {
                throw new IllegalArgumentException("duration " + durationMs + " ms; must be at least 1");
            }
            platforms = List.copyOf(platforms);
            modes = List.copyOf(modes);
            if (pairs(platforms, modes).isEmpty()) {
                throw new IllegalArgumentException("none of the platforms asked for runs the DMA modes asked for: "
                        + modes.stream().map(m -> m.name() + " runs only on " + Arrays.stream(PlatformKind.values())
                                .filter(m::runsOn).map(PlatformKind::cliName).collect(Collectors.joining(", ")))
                                .collect(Collectors.joining("; ")));
            }
            for (FaultKind k : faults.kinds()) {
                List<Scenario> stressed = pairs(platforms, modes).stream().map(b -> stressed(b, 1, 1, seed)).toList();
                if (stressed.stream().noneMatch(s -> s.applicableFaults(faults).has(k))) {
                    stressed.get(0).withFaults(Faults.NONE.with(k, faults.value(k))); // throws, saying where it applies
                }
            }
        }
    }

    private StressRun() {}

    /** Every platform and mode pair in turn. */
    public static List<StressResult> run(Options o) throws InterruptedException {
        return run(o, (done, total) -> { });
    }

    /** Every platform and mode pair in turn, telling {@code progress} after each (pairs done, pairs in all). */
    public static List<StressResult> run(Options o, java.util.function.BiConsumer<Integer, Integer> progress)
            throws InterruptedException {
        List<Scenario> pairs = pairs(o.platforms(), o.modes());
        long each = Math.max(1, o.durationMs() / pairs.size());
        List<StressResult> out = new ArrayList<>();
        for (Scenario base : pairs) {
            Scenario s = stressed(base, o.threads(), each, o.seed());
            s = s.withFaults(s.applicableFaults(o.faults()));
            try (NativeSetup setup = NativeSetup.of(s, false)) {
                setup.device().setDmaMaskBits(64);
                String name = s.platform().cliName() + " " + s.dma().name();
                StressResult r = runOne(StressTarget.of(name, setup.machine()), setup.engine(), each * 1_000_000L, o.seed());
                Map<String, Long> injected = new TreeMap<>(setup.machine().faults().injected());
                injected.keySet().retainAll(s.faults().kinds().stream().map(FaultKind::cliName).toList());
                out.add(Records.with(r, "faultsInjected", injected));
            }
            progress.accept(out.size(), pairs.size());
        }
        return out;
    }

    /** One target, one thread per CPU of {@code engine}, for {@code durationNs}. */
    public static StressResult runOne(StressTarget target, Engine engine, long durationNs, long seed)
            throws InterruptedException {
        LiveIovas live = new LiveIovas();
        LostFlushes lost = new LostFlushes();
        Violations violations = new Violations();
        long start = System.nanoTime();
        List<StressWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> crashes = new ArrayList<>();
        for (int c = 0; c < engine.nrCpus(); c++) {
            StressWorker w = new StressWorker(engine.cpu(c), engine.nrCpus(), target, live, lost, violations,
                    seed * 1_000_003L + c, start + durationNs, start + durationNs + Math.max(durationNs, MIN_DRAIN_NS));
            Thread t = new Thread(w, "stress-" + c);
            t.setUncaughtExceptionHandler((th, e) -> {
                synchronized (crashes) {
                    crashes.add(e);
                }
            });
            workers.add(w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Throwable e : crashes) {
            violations.report(target.name() + ": a stress thread died: " + e);
        }
        Map<String, Long> errors = new TreeMap<>();
        long maps = 0;
        long sgMaps = 0;
        long unmaps = 0;
        long stale = 0;
        long unchecked = 0;
        long refusalHits = 0;
        for (StressWorker w : workers) {
            maps += w.maps;
            sgMaps += w.sgMaps;
            unmaps += w.unmaps;
            stale += w.staleChecks;
            unchecked += w.unchecked;
            refusalHits += w.refusalHits;
            w.mapErrors().forEach((k, v) -> errors.merge(k, v, Long::sum));
        }
        return new StressResult(target.name(), maps, sgMaps, unmaps, errors, stale, unchecked, violations.count(),
                violations.first(), System.nanoTime() - start, refusalHits, Map.of());
    }

    /** The pairs to run, platforms outer; each policy only where it runs. */
    /** The machine stressed for a platform and mode: a 1 GiB guest, the map benchmark, a small single queue. */
    private static Scenario stressed(Scenario base, int threads, long durationMs, long seed) {
        boolean single = base.dma() == Policies.LAZY_SINGLE;
        return new Scenario(base.platform(), null, GUEST_MEMORY_GIB, base.dma(),
                single ? SINGLE_FQ_SIZE : 0, single ? SINGLE_FQ_TIMEOUT_MS : 0,
                new WorkloadSpec.MapBenchSpec(MapBenchOptions.defaults()), threads, durationMs, seed, Map.of());
    }

    static List<Scenario> pairs(List<PlatformKind> platforms, List<InvalidationPolicy> modes) {
        List<Scenario> out = new ArrayList<>();
        for (PlatformKind p : platforms) {
            for (InvalidationPolicy m : modes) {
                if (m.runsOn(p)) {
                    out.add(Scenario.defaults(p, m));
                }
            }
        }
        return out;
    }
}
