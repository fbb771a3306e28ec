package org.iommulab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.iommulab.report.FlatMetrics;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostCategory;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.virtual.VirtualEngine;
import org.junit.jupiter.api.Test;

class RunStatsTest {

    /** The keys the README documents for the JSON form, as dotted paths. */
    private static final List<String> REQUIRED = List.of("io.submitted", "io.completed", "io.failed",
            "throughput.iops", "throughput.bytesPerSec", "rpcit.global", "rpcit.syncMap", "rpcit.sync",
            "rpcit.outOfResource", "pages.mapped", "pages.unmapped", "flushQueue.fullFlushes",
            "flushQueue.timerFlushes", "staleWindowNs.p50", "staleWindowNs.p99", "staleWindowNs.max", "staleWindowNs.lowerBound",
            "staleWindowPeakPages", "hypervisor.exits", "hypervisor.pciStores", "hypervisor.pagesWalked",
            "hypervisor.shadowLookups", "hypervisor.hostMaps", "hypervisor.hostUnmaps", "hypervisor.hostUnmapPages",
            "hypervisor.emptyHostUnmaps", "hypervisor.shadowPeakEntries", "device.iotlbMisses", "device.translationFaults", "virtualTimeNs", "wallTimeMs");

    static RunStats sample() {
        VirtualEngine engine = new VirtualEngine(2, CostModel.defaults());
        SpinLock lock = engine.newSpinLock("fq_lock");
        for (int i = 0; i < 2; i++) {
            engine.post(i, 0, cpu -> {
                lock.lock(cpu);
                cpu.spend(Cost.RPCIT_LPAR);
                lock.unlock(cpu);
            });
        }
        engine.runUntil(Long.MAX_VALUE);
        StaleWindowTracker tracker = new StaleWindowTracker();
        tracker.unmapped(0, 10, 3);
        tracker.invalidatedAll(1_000);
        tracker.unmapped(2_000, 20, 1);
        IoCounts io = new IoCounts(10, 9, 1, Map.of("mapError", 1L), 2, Map.of("iovaSpaceExhausted", 2L), 9 * 4096);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("platform", "lpar");
        config.put("dma", "lazy-single");
        return new RunStats(config, io, Throughput.of(io, 1_000_000), CpuTime.from(engine),
                new RpcitCounts(3, 2, 1, 0), new PageCounts(12, 11), new FlushQueueCounts(2, 1),
                StaleWindow.at(tracker, 1_000_000), new HypervisorCounts(3, 0, 40, 40, 5, 4, 4, 0, 7), new DeviceCounts(6, 0),
                new MemoryUse(4096, 8192), new FaultCounts(Map.of("rpcit-busy", 0L), false, 0, 0), Map.of("smmu.cmdSyncs", 5L),
                engine.resourceStats(), List.of("1 of 10 I/Os (10.0%) failed"),
                LimitedBy.of(engine.resourceStats(), CpuTime.from(engine), 1_000_000), 1_000_000, 12,
                tracker.timeline(1_000_000), List.of());
    }

    @Test
    void theTimelineCountsInvalidationsAndThePeakOfReachablePagesPerBucketAndWidensAsTheRunGoesOn() {
        StaleWindowTracker tracker = new StaleWindowTracker();
        tracker.unmapped(100, 10, 3);
        tracker.invalidated(500_000, 10, 3); // bucket 0 (1 ms wide)
        tracker.unmapped(1_500_000, 20, 5);
        tracker.invalidatedAll(1_600_000); // bucket 1
        Timeline.Snapshot early = tracker.timeline(2_000_000);
        assertThat(early.widthNs()).isEqualTo(1_000_000);
        assertThat(early.invalidations()).containsExactly(1, 1, 0);
        assertThat(early.peakPendingPages()).containsExactly(3, 5, 0);

        tracker.invalidatedAll(300_000_000); // past 256 ms: buckets double to 2 ms
        Timeline.Snapshot late = tracker.timeline(300_000_000);
        assertThat(late.widthNs()).isEqualTo(2_000_000);
        assertThat(late.invalidations()).hasSize(151);
        assertThat(late.invalidations()[0]).isEqualTo(2);
        assertThat(late.peakPendingPages()[0]).isEqualTo(5);
        assertThat(late.invalidations()[150]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(late.invalidations()).sum()).isEqualTo(3);
    }

    @Test
    void jsonFormHasEveryRequiredKeyNested() {
        Map<String, Object> map = sample().toMap();

        assertThat(map).containsKey("config").containsKey("io").containsKey("staleWindowNs");
        assertThat(map.get("io")).isInstanceOf(Map.class);
        assertThat(FlatMetrics.flatten(map)).containsKeys(REQUIRED.toArray(String[]::new));
        assertThat(FlatMetrics.flatten(map)).containsEntry("config.platform", "lpar")
                .containsEntry("io.mapErrorsByCause.iovaSpaceExhausted", 2L)
                .containsEntry("warnings.0", "1 of 10 I/Os (10.0%) failed")
                .containsEntry("rpcit.syncMap", 2L)
                .containsEntry("hypervisor.shadowPeakEntries", 7L)
                .containsEntry("staleWindowPeakPages", 3L)
                .containsEntry("locks.fq_lock.contended", 1L)
                .containsEntry("wallTimeMs", 12L);
    }

    @Test
    void ratesArePerSecondOfVirtualTime() {
        RunStats s = sample();
        assertThat(s.throughput().iops()).isEqualTo(9_000.0);
        assertThat(s.throughput().bytesPerSec()).isEqualTo(9 * 4096 * 1_000.0);
        assertThat(Throughput.of(s.io(), 0)).isEqualTo(new Throughput(0, 0));
        assertThat(s.io().balanced()).isTrue();
        assertThat(new IoCounts(3, 1, 1, Map.of("mapError", 1L), 0, Map.of(), 0).balanced()).isFalse();
        assertThat(new IoCounts(2, 1, 1, Map.of("mapError", 0L), 0, Map.of(), 0).balanced())
                .as("the failures by cause must add up to the failures").isFalse();
    }

    @Test
    void cpuTimeComesFromTheEngineAndAddsUp() {
        CpuTime cpu = sample().cpu();
        long rpcit = CostModel.defaults().ns(Cost.RPCIT_LPAR);
        long lock = CostModel.defaults().ns(Cost.SPIN_LOCK);
        long line = CostModel.defaults().ns(Cost.LOCK_LINE_TRANSFER);
        assertThat(cpu.byCategoryNs()).containsEntry(CostCategory.FLUSH, 2 * rpcit)
                .containsEntry(CostCategory.LOCK_WAIT, rpcit + lock)
                .containsEntry(CostCategory.DMA, 2 * lock + line);
        assertThat(cpu.busyNs()).isEqualTo(3 * rpcit + 3 * lock + line);
        assertThat(cpu.utilisation(1_000_000)).isEqualTo((3 * rpcit + 3 * lock + line) / 2e6);
        @SuppressWarnings("unchecked")
        Map<String, Object> byCategory = (Map<String, Object>) ((Map<String, Object>) sample().toMap().get("cpu"))
                .get("byCategoryNs");
        assertThat(byCategory).containsKeys("driver", "dma", "iova", "pageTable", "flush", "lockWait",
                "hypervisor", "device");
    }

    @Test
    void cpuTimeRejectsCategoriesThatDoNotAddUp() {
        Map<CostCategory, Long> by = new EnumMap<>(CostCategory.class);
        for (CostCategory c : CostCategory.values()) {
            by.put(c, 1L);
        }
        assertThatThrownBy(() -> new CpuTime(1, 7, 7, by)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sum");
        by.remove(CostCategory.DEVICE);
        assertThatThrownBy(() -> new CpuTime(1, 7, 7, by)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DEVICE");
    }

    @Test
    void staleWindowSummarisesTheTrackerWithOpenPagesAsCensoredData() {
        StaleWindow w = sample().staleWindow();
        // three pages closed after 1 us; one still open, unmapped at 2 us, counts at its age 998 us at the end
        assertThat(w).usingRecursiveComparison().ignoringFields("cdfNs")
                .isEqualTo(new StaleWindow(1_000L, 998_000L, 998_000L, 3, 3, 1, true));
        assertThat(w.cdfNs()).hasSize(StaleWindow.CDF_PERCENTILES.size()).isSorted().endsWith(998_000L);
        assertThat(StaleWindow.at(new StaleWindowTracker(), 5_000)).isEqualTo(StaleWindow.NONE);
    }

    @Test
    void aWindowThatNeverClosedIsALowerBoundNeverZero() {
        StaleWindowTracker t = new StaleWindowTracker();
        t.unmapped(1_000, 7, 4);
        StaleWindow w = StaleWindow.at(t, 1_980_001_000L);
        assertThat(w.p50Ns()).isEqualTo(w.maxNs()).isCloseTo(1_980_000_000L, Percentage.withPercentage(0.1));
        assertThat(w.maxNs()).isEqualTo(1_980_000_000L);
        assertThat(w.lowerBound()).isTrue();
        assertThat(w.pages()).isZero();
        assertThat(w.stillOpenPages()).isEqualTo(4);
        assertThat(t.pendingPages()).as("the tracker is left as it was").isEqualTo(4);
        assertThat(t.windowsNs().getTotalCount()).isZero();
    }

    @Test
    void closedWindowsAloneAreExact() {
        StaleWindowTracker t = new StaleWindowTracker();
        t.unmapped(0, 1, 2);
        t.invalidated(500, 1, 2);
        StaleWindow w = StaleWindow.at(t, 10_000);
        assertThat(w.lowerBound()).isFalse();
        assertThat(w.maxNs()).isEqualTo(500);
        assertThat(w.stillOpenPages()).isZero();
    }

    @Test
    void percentilesNeverExceedTheExactMaximum() {
        StaleWindowTracker t = new StaleWindowTracker();
        t.unmapped(0, 1, 1);
        t.invalidatedAll(123_456_789);
        StaleWindow w = StaleWindow.at(t, 123_456_789);
        assertThat(w.maxNs()).isEqualTo(123_456_789);
        assertThat(w.p99Ns()).isEqualTo(123_456_789);
        assertThat(t.windowsNs().getValueAtPercentile(99)).isGreaterThan(123_456_789);
    }

    @Test
    void identicalInputsGiveEqualMaps() {
        assertThat(sample().toMap()).isEqualTo(sample().toMap());
        assertThat(sample().toMap().keySet()).startsWith("config", "warnings", "io", "throughput");
    }
}
