package org.iommulab.sim.threads;

/**
 * When a workload on real threads is over: after the stop, once every CPU's loop has nothing left
 * to run and no work is in transit to one; before the stop, the same state ends the run early,
 * as nothing can happen any more. An idle loop waits here instead of spinning, so CPUs
 * without work leave the cores to those with it; a loop's failure ends every loop.
 */
final class Quiescence {

    private final CpuLoop[] loops;
    /** Loops waiting in {@link #awaitWork}. */
    private int idle;
    /** All loops were found idle and {@link #sleep} told so; cleared when work arrives. */
    private boolean allIdle;
    private boolean stopping;
    private volatile boolean done;
    private Throwable failure;

    Quiescence(CpuLoop[] loops) {
        this.loops = loops;
    }

    boolean done() {
        return done;
    }

    /** Work went to another CPU's inbox, or a timer expired on one: wake the loops to look. */
    synchronized void posted() {
        notifyAll();
    }

    /** From now on, a loop with nothing to run counts as finished unless new work reaches it. */
    synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    synchronized void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
        done = true;
        notifyAll();
    }

    /** The first failure of any loop, or null. */
    synchronized Throwable failure() {
        return failure;
    }

    /**
     * Waits until work or an expired timer reaches {@code loop}'s CPU (true) or the run is over
     * (false). The last loop to find itself idle, with nothing in transit to any, ends the run if
     * it was stopped, and else wakes {@link #sleep}: no loop is running work then, so none can
     * post more.
     */
    synchronized boolean awaitWork(CpuLoop loop) {
        idle++;
        try {
            while (!done) {
                if (!loop.nothingArrived()) {
                    allIdle = false;
                    return true;
                }
                if (idle == loops.length && nothingInTransit()) {
                    if (stopping) {
                        done = true;
                        notifyAll();
                        return false;
                    }
                    if (!allIdle) {
                        allIdle = true;
                        notifyAll();
                    }
                }
                waitHere(0);
            }
            return false;
        } finally {
            idle--;
        }
    }

    /** Waits until {@code deadlineNs} of the monotonic clock, or less if every loop has gone idle for good. */
    synchronized void sleep(long deadlineNs) {
        for (long left; !done && !(idle == loops.length && nothingInTransit())
                && (left = deadlineNs - System.nanoTime()) > 0; ) {
            waitHere(left);
        }
    }

    private void waitHere(long ns) {
        try {
            wait(ns / 1_000_000, (int) (ns % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    private boolean nothingInTransit() {
        for (CpuLoop l : loops) {
            if (!l.nothingArrived()) {
                return false;
            }
        }
        return true;
    }
}
