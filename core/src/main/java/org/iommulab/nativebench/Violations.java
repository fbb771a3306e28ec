package org.iommulab.nativebench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Safety violations found by the threads of a stress run: all counted, the first few kept. */
final class Violations {

    static final int KEPT = 10;

    private final AtomicLong count = new AtomicLong();
    private final ConcurrentLinkedQueue<String> first = new ConcurrentLinkedQueue<>();

    void report(String what) {
        if (count.incrementAndGet() <= KEPT) {
            first.add(what);
        }
    }

    long count() {
        return count.get();
    }

    List<String> first() {
        return new ArrayList<>(first);
    }
}
