package org.iommulab.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iommulab.workload.WorkloadFixtures.device;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DeviceTranslation;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.virtual.VirtualEngine;
import org.junit.jupiter.api.Test;

/** The device's DMA goes through the platform's translation: misses cost device time, faults fail I/Os. */
class DeviceTranslationTest {

    private static final CostModel COSTS = CostModel.defaults().with(java.util.Map.of("nvme.latencyJitterNs", 0L));

    /** A translation whose IOTLB misses every access, or faults every access. */
    private static DeviceTranslation hardware(boolean faults) {
        return new DeviceTranslation() {
            private long misses;

            @Override
            public long translate(long iova, boolean write) {
                misses++;
                return faults ? -1 : iova;
            }

            @Override
            public long iotlbMisses() {
                return misses;
            }
        };
    }

    private static IoResult oneRead(DeviceTranslation translation) {
        VirtualEngine engine = new VirtualEngine(1, COSTS);
        Device dev = device("nvme0", new FakeDmaOps(1));
        dev.setTranslation(translation);
        Fio fio = new Fio(FioOptions.defaults().withIodepth(1).withNumjobs(1));
        fio.start(engine, dev);
        engine.runUntil(150_000);
        fio.stop();
        engine.runUntil(Long.MAX_VALUE);
        return fio.result();
    }

    @Test
    void anIotlbMissDelaysTheDataByTheWalk() {
        IoResult cached = oneRead(DeviceTranslation.IDENTITY);
        IoResult missed = oneRead(hardware(false));

        assertThat(missed.translationFaults()).isZero();
        // the latency histogram keeps 3 significant digits: ~64 ns buckets at ~80 us
        assertThat(missed.latencyNs().getMinValue() - cached.latencyNs().getMinValue())
                .isCloseTo(COSTS.ns(Cost.DEVICE_IOTLB_MISS), org.assertj.core.data.Offset.offset(100L));
    }

    @Test
    void anAccessWithoutTranslationFailsItsIoAndIsCounted() {
        IoResult r = oneRead(hardware(true));

        assertThat(r.completed()).isZero();
        assertThat(r.failed()).isEqualTo(r.submitted()).isPositive();
        assertThat(r.translationFaults()).isEqualTo(r.submitted());
    }
}
