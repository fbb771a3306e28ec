package org.iommulab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.iommulab.lab.Scenario;
import org.iommulab.lab.Simulation;
import org.iommulab.stats.RunStats;

/**
 * Runs many scenarios at once, one per core: each is deterministic and independent, so the order
 * they finish in changes nothing. On a terminal a progress bar with its ETA counts them on stderr;
 * otherwise, for work that takes longer than {@link #PLAIN_EVERY_MS}, a plain line on stderr says
 * how far it is every so often.
 */
final class Runs {

    private Runs() {}

    /** How often, in ms of wall time, a plain progress line is printed when stderr is no terminal. */
    static final long PLAIN_EVERY_MS = 10_000;

    /** Every scenario's result, in the scenarios' order. */
    static List<RunStats> all(String task, List<Scenario> scenarios) throws InterruptedException {
        return all(task, scenarios, (i, r) -> { });
    }

    /**
     * Every scenario's result, in the scenarios' order; {@code done} is told of each as it
     * finishes (from the pool's threads), e.g. to keep it before the rest are done.
     */
    static List<RunStats> all(String task, List<Scenario> scenarios, BiConsumer<Integer, RunStats> done)
            throws InterruptedException {
        if (scenarios.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(
                Simulation.concurrentRuns(scenarios, Runtime.getRuntime().availableProcessors()));
        long start = System.nanoTime();
        AtomicLong finished = new AtomicLong();
        AtomicLong lastLine = new AtomicLong(start);
        try (ProgressBar bar = progress(task, scenarios.size())) {
            List<Future<RunStats>> futures = new ArrayList<>();
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                int index = i;
                futures.add(pool.submit(() -> {
                    RunStats r = Simulation.run(s);
                    done.accept(index, r);
                    long n = finished.incrementAndGet();
                    if (bar != null) {
                        bar.step();
                    } else {
                        plainLine(task, n, scenarios.size(), start, lastLine);
                    }
                    return r;
                }));
            }
            List<RunStats> out = new ArrayList<>();
            for (Future<RunStats> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A line such as "sweep: 40 of 144 runs, 12 s, about 31 s left", at most every {@link #PLAIN_EVERY_MS}. */
    private static void plainLine(String task, long n, int total, long start, AtomicLong lastLine) {
        long now = System.nanoTime();
        long last = lastLine.get();
        if (now - last < PLAIN_EVERY_MS * 1_000_000 || n == total || !lastLine.compareAndSet(last, now)) {
            return;
        }
        long elapsedS = (now - start) / 1_000_000_000;
        System.err.printf("%s: %d of %d runs, %d s, about %d s left%n", task, n, total, elapsedS,
                elapsedS * (total - n) / n);
    }

    /** A bar for work of more than one step when stderr is a terminal, else none. */
    static ProgressBar progress(String task, long steps) {
        if (steps < 2 || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build();
    }
}
