package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.junit.jupiter.api.Test;

class NvmeModelTest {

    /** The defaults without latency jitter, so that each figure below is exact. */
    private static final CostModel STEADY = CostModel.defaults().with(Map.of("nvme.latencyJitterNs", 0L));
    private static final SplittableRandom SEED = new SplittableRandom(1);

    @Test
    void belowTheCeilingsEachCommandSeesTheLatency() {
        NvmeModel drive = new NvmeModel(new VirtualEngine(1, STEADY), "nvme0", NvmeDrive.NVME);
        assertThat(drive.submit(0, 4096, false, 0, SEED)).isEqualTo(80_000);
        assertThat(drive.submit(5_000, 4096, true, 0, SEED)).isEqualTo(25_000);
    }

    @Test
    void aBurstIsSpacedByTheCommandCeiling() {
        NvmeModel drive = new NvmeModel(new VirtualEngine(1, STEADY), "nvme0", NvmeDrive.NVME);
        long last = 0;
        for (int i = 0; i < 200; i++) {
            last = drive.submit(0, 4096, false, 0, SEED);
        }
        // the 200th command leaves the controller at 200 us and its 4 KiB then takes 820 ns
        assertThat(last).isEqualTo(200_000 + 820);
    }

    @Test
    void theSeedDrawsEachCommandsLatencyWithinTheJitter() {
        long[] first = latencies(7);
        assertThat(Arrays.stream(first).allMatch(ns -> ns >= 80_000 && ns <= 88_000)).as("within 80-88 us").isTrue();
        assertThat(Arrays.stream(first).distinct().count()).as("latencies vary").isGreaterThan(10);
        assertThat(latencies(7)).as("the same seed, the same latencies").isEqualTo(first);
        assertThat(latencies(8)).as("another seed, other latencies").isNotEqualTo(first);
    }

    private static long[] latencies(long seed) {
        NvmeModel drive = new NvmeModel(new VirtualEngine(1, CostModel.defaults()), "nvme0", NvmeDrive.NVME);
        SplittableRandom random = new SplittableRandom(seed);
        long[] out = new long[20];
        for (int i = 0; i < out.length; i++) {
            long at = i * 1_000_000L; // far apart: no ceiling is reached
            out[i] = drive.submit(at, 4096, false, 0, random) - at;
        }
        return out;
    }

    @Test
    void aLargeTransferTakesLongerThanTheLatency() {
        NvmeModel drive = new NvmeModel(new VirtualEngine(1, STEADY), "nvme0", NvmeDrive.NVME);
        // 1 MiB = 256 pages of 820 ns after 1 us in the controller
        assertThat(drive.submit(0, 1 << 20, false, 0, SEED)).isEqualTo(1_000 + 256 * 820);
    }
}
