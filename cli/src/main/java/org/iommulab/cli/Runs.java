package org.iommulab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * piped or redirected output stays clean.
 */
final class Runs {

    private Runs() {}

    /** Every scenario's result, in the scenarios' order. */
    static List<RunStats> all(String task, List<Scenario> scenarios) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(scenarios.size(),
                Runtime.getRuntime().availableProcessors()));
        try (ProgressBar bar = progress(task, scenarios.size())) {
            List<Future<RunStats>> futures = new ArrayList<>();
            for (Scenario s : scenarios) {
                futures.add(pool.submit(() -> {
                    RunStats r = Simulation.run(s);
                    if (bar != null) {
                        bar.step();
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

    /** A bar for work of more than one step when stderr is a terminal, else none. */
    static ProgressBar progress(String task, long steps) {
        if (steps < 2 || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build();
    }
}
