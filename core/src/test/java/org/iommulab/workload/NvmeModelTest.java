package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.sim.CostModel;
import org.iommulab.sim.VirtualEngine;
import org.junit.jupiter.api.Test;

class NvmeModelTest {

    @Test
    void belowTheCeilingsEachCommandSeesTheLatency() {
        NvmeModel drive = new NvmeModel(new VirtualEngine(1, CostModel.defaults()), "nvme0");
        assertThat(drive.submit(0, 4096, false)).isEqualTo(80_000);
        assertThat(drive.submit(5_000, 4096, true)).isEqualTo(25_000);
    }

    @Test
    void aBurstIsSpacedByTheCommandCeiling() {
        NvmeModel drive = new NvmeModel(new VirtualEngine(1, CostModel.defaults()), "nvme0");
        long last = 0;
        for (int i = 0; i < 200; i++) {
            last = drive.submit(0, 4096, false);
        }
        // the 200th command leaves the controller at 200 us and its 4 KiB then takes 820 ns
        assertThat(last).isEqualTo(200_000 + 820);
    }

    @Test
    void aLargeTransferTakesLongerThanTheLatency() {
        NvmeModel drive = new NvmeModel(new VirtualEngine(1, CostModel.defaults()), "nvme0");
        // 1 MiB = 256 pages of 820 ns after 1 us in the controller
        assertThat(drive.submit(0, 1 << 20, false)).isEqualTo(1_000 + 256 * 820);
    }
}
