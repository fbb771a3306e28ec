package org.iommulab.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.TimeUnit;

/**
 * Runs test tasks each on a thread of its own, all at once, and fails with what they threw. A
 * raw {@link Thread} loses its exception to the default handler and the test passes anyway;
 * here the first failure is rethrown (the others suppressed into it), and the remaining tasks are
 * interrupted so that none waits forever on a barrier the failed one never reached.
 */
public final class Concurrently {

    /** A task that may throw anything. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private Concurrently() {
    }

    /** Runs every task on its own thread and waits for all of them. */
    public static void run(List<? extends Task> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (Task t : tasks) {
                done.submit(() -> {
                    t.run();
                    return null;
                });
            }
            Throwable first = null;
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    done.take().get(); // in the order they finish, so a failure is seen at once
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                        pool.shutdownNow();
                    } else if (!(e.getCause() instanceof InterruptedException)
                            && !(e.getCause() instanceof BrokenBarrierException)) {
                        first.addSuppressed(e.getCause());
                    }
                }
            }
            if (first instanceof Exception ex) {
                throw ex;
            }
            if (first instanceof Error err) {
                throw err;
            }
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("test threads still running a minute after they were interrupted");
            }
        }
    }

    /** Runs {@code n} copies of {@code task}, each given its index. */
    public static void run(int n, IndexedTask task) throws Exception {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            tasks.add(() -> task.run(id));
        }
        run(tasks);
    }

    /** A task told its index among its copies. */
    @FunctionalInterface
    public interface IndexedTask {
        void run(int index) throws Exception;
    }
}
