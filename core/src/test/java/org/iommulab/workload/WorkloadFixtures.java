package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.iommulab.kernel.Device;

/** What the workload tests share: seeds, devices on the fake DMA layer, the determinism check. */
final class WorkloadFixtures {

    /** For {@code @MethodSource("org.iommulab.workload.WorkloadFixtures#seeds")}. */
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    static Device device(String name, FakeDmaOps ops) {
        Device d = new Device(name);
        d.setDmaOps(ops);
        return d;
    }

    /**
     * Runs {@code run} twice with {@code seed}, expecting the same numbers, and once with another
     * seed, expecting a different first number (the fake DMA layer's trace of mapped addresses).
     */
    static void assertDeterministic(long seed, LongFunction<long[]> run) {
        long[] first = run.apply(seed);
        assertThat(run.apply(seed)).containsExactly(first);
        assertThat(run.apply(seed + 1000)[0]).isNotEqualTo(first[0]);
    }

    private WorkloadFixtures() {}
}
