package org.iommulab.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The same scenario run under several seeds, and the 95% interval of each headline metric over
 * them: what a user needs to tell a real difference between two policies from run-to-run spread.
 * Stale-window figures cover the runs that unmapped anything; when any run still had windows open
 * at its end, they are lower bounds and {@link #staleLowerBound()} says so.
 *
 * @param runs every run, in seed order
 * @param summary each headline metric's interval, keyed as in the run's JSON
 */
public record RepeatedRuns(List<RunStats> runs, Map<String, Interval> summary) {

    /** The headline metrics and how to read each from a run; null when the run has no value. */
    private static final Map<String, Function<RunStats, Number>> HEADLINES = headlines();

    public RepeatedRuns {
        runs = List.copyOf(runs);
        summary = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    }

    public static RepeatedRuns of(List<RunStats> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("repeated runs need at least one run");
        }
        Map<String, Interval> summary = new LinkedHashMap<>();
        HEADLINES.forEach((key, metric) -> {
            double[] values = runs.stream().map(metric).filter(v -> v != null).mapToDouble(Number::doubleValue).toArray();
            if (values.length > 0) {
                summary.put(key, Interval.of(values));
            }
        });
        return new RepeatedRuns(runs, summary);
    }

    /** The mean of {@code metric} over the runs, 0 when no run had a value. */
    public double mean(String metric) {
        Interval i = summary.get(metric);
        return i == null ? 0 : i.mean();
    }

    /** Whether any run ended with stale windows still open, so the stale figures are lower bounds. */
    public boolean staleLowerBound() {
        return runs.stream().anyMatch(r -> r.staleWindow().lowerBound());
    }

    /** The JSON form: how many runs, their seeds' summary, then every run in full. */
    public Map<String, Object> toMap() {
        Map<String, Object> intervals = new LinkedHashMap<>();
        summary.forEach((key, interval) -> intervals.put(key, interval.toMap()));
        List<Object> all = new ArrayList<>();
        runs.forEach(r -> all.add(r.toMap()));
        return new JsonMap()
                .put("repeat", runs.size())
                .put("staleWindowLowerBound", staleLowerBound())
                .put("summary", intervals)
                .put("runs", all)
                .map();
    }

    private static Map<String, Function<RunStats, Number>> headlines() {
        Map<String, Function<RunStats, Number>> m = new LinkedHashMap<>();
        m.put("io.completed", r -> r.io().completed());
        m.put("io.failed", r -> r.io().failed());
        m.put("throughput.iops", r -> r.throughput().iops());
        m.put("throughput.bytesPerSec", r -> r.throughput().bytesPerSec());
        m.put("cpu.utilisation", r -> r.cpu().utilisation(r.virtualTimeNs()));
        m.put("cpu.perIoNs", r -> r.io().completed() == 0 ? null : (double) r.cpu().busyNs() / r.io().completed());
        m.put("rpcit.global", r -> r.rpcit().global());
        m.put("rpcit.syncMap", r -> r.rpcit().syncMap());
        m.put("rpcit.sync", r -> r.rpcit().sync());
        m.put("hypervisor.exits", r -> r.hypervisor().exits());
        m.put("staleWindowNs.p50", r -> r.staleWindow().p50Ns());
        m.put("staleWindowNs.p99", r -> r.staleWindow().p99Ns());
        m.put("staleWindowNs.max", r -> r.staleWindow().maxNs());
        m.put("staleWindowPeakPages", r -> r.staleWindow().peakPages());
        m.put("limitedBy.busyFraction", r -> r.limitedBy().busyFraction());
        return m;
    }
}
