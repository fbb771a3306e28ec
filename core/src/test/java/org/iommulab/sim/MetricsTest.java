package org.iommulab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void aSnapshotReadsEveryCounterNowInTheOrderPublished() {
        Metrics metrics = new Metrics();
        AtomicLong syncs = new AtomicLong();
        metrics.counter("smmu.cmdSyncs", syncs::get);
        metrics.counter("smmu.atcInv", () -> 7);
        syncs.set(3);
        assertThat(metrics.snapshot()).containsExactly(
                org.assertj.core.api.Assertions.entry("smmu.cmdSyncs", 3L),
                org.assertj.core.api.Assertions.entry("smmu.atcInv", 7L));
        syncs.set(4);
        assertThat(metrics.snapshot()).containsEntry("smmu.cmdSyncs", 4L);
    }

    @Test
    void eachInstanceOfAProducerGetsItsOwnPrefix() {
        Metrics metrics = new Metrics();
        assertThat(metrics.unit("vtd").counter("waits", () -> 1).name()).isEqualTo("vtd");
        assertThat(metrics.unit("smmu").name()).isEqualTo("smmu");
        assertThat(metrics.unit("vtd").counter("waits", () -> 2).name()).isEqualTo("vtd1");
        assertThat(metrics.unit("vtd").name()).isEqualTo("vtd2");
        assertThat(metrics.snapshot()).containsEntry("vtd.waits", 1L).containsEntry("vtd1.waits", 2L);
    }

    @Test
    void aNameIsPublishedOnce() {
        Metrics metrics = new Metrics();
        metrics.counter("vtd.iotlbMisses", () -> 0);
        assertThatThrownBy(() -> metrics.counter("vtd.iotlbMisses", () -> 1))
                .hasMessage("metric vtd.iotlbMisses is published twice");
    }
}
