package org.iommulab.workload;

import java.util.SplittableRandom;
import org.iommulab.kernel.ScatterList;

/**
 * Where a workload's buffers live: random page frames of a memory of a given size, as page-cache
 * pages and socket buffers scatter over physical memory. Deterministic for a seeded generator.
 */
final class RandomPages {

    /** The 4 KiB page of both s390 and x86 ({@code PAGE_SIZE}). */
    static final int PAGE_SIZE = 4096;

    private final long pages;
    private final SplittableRandom random;

    RandomPages(long memoryBytes, SplittableRandom random) {
        this.pages = memoryBytes / PAGE_SIZE;
        this.random = random;
    }

    /** The physical address of a random page. */
    long page() {
        return random.nextLong(pages) * PAGE_SIZE;
    }

    /** The physical address of {@code count} random contiguous pages. */
    long contiguous(int count) {
        return random.nextLong(pages - count + 1) * PAGE_SIZE;
    }

    /** Refills {@code sg} with {@code bytes} as page-sized segments of random pages. */
    void fill(ScatterList sg, long bytes) {
        sg.clear();
        for (long left = bytes; left > 0; left -= PAGE_SIZE) {
            sg.add(page(), (int) Math.min(left, PAGE_SIZE));
        }
    }

    /** The number of page-sized segments {@code bytes} needs. */
    static int segments(long bytes) {
        return (int) ((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
    }
}
