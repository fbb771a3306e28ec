package org.iommulab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DmaApiChecksTest {

    private static final String DEV = "0000:01:00.0";
    private static final int CPU = 0;

    private static CaptureCheck.Report sample() throws IOException {
        try (InputStream in = DmaApiChecksTest.class.getResourceAsStream("/trace/tracefs-nvme-fault-after-unmap.txt")) {
            return CaptureCheck.read(in, "sample", false);
        }
    }

    @Test
    void everyFindingKindOfTheSampleCaptureWithItsLines() throws IOException {
        CaptureCheck.Report r = sample();
        assertThat(r.lines()).isEqualTo(26);
        assertThat(r.events()).isEqualTo(11);
        assertThat(r.skipped()).isEqualTo(15);
        assertThat(r.devices()).containsExactly(DEV);
        assertThat(r.findings()).extracting(f -> f.kind().key()).containsExactly("fault-after-unmap",
                "direction-mismatch", "double-unmap", "size-mismatch", "unmap-unknown", "fault-unmapped", "leak");
        Finding after = r.findings().get(0);
        assertThat(after.lines()).containsExactly(15L, 17L);
        assertThat(after.iova()).isEqualTo(0xfffff040L);
        assertThat(after.detail()).contains("1.500 ms after its unmap at line 15");
        assertThat(r.findings().get(1).lines()).containsExactly(18L, 20L);
        assertThat(r.findings().get(2).lines()).containsExactly(20L, 21L);
        assertThat(r.findings().get(3).lines()).containsExactly(14L, 22L);
        assertThat(r.findings().get(6).detail()).startsWith("1 mapping(s), 4096 bytes");
        assertThat(r.skippedByWhy()).containsEntry("comment or header", 12L).containsEntry("not a trace record", 1L)
                .containsEntry("event sched_switch is not read", 1L);
        assertThat(r.firstSkipped()).as("every capture has headers: those are only counted")
                .extracting(CaptureCheck.SkippedLine::line).containsExactly(16L, 19L, 26L);
        assertThat(r.firstSkipped().get(2).why()).startsWith("dma_map_phys without device");
    }

    @Test
    void aCleanCaptureHasNoFinding() {
        DmaApiChecks checks = new DmaApiChecks();
        checks.accept(new TraceEvent.DmaMap(1, 0, CPU, DEV, "TO_DEVICE", 0x1000, 8192));
        checks.accept(new TraceEvent.IoPageFault(2, 10, CPU, DEV, 0x1800, false)); // a fault on a live mapping: not a lifetime matter
        checks.accept(new TraceEvent.DmaUnmap(3, 20, CPU, DEV, "TO_DEVICE", 0x1000, 8192));
        checks.accept(new TraceEvent.DmaMap(4, 30, CPU, DEV, "TO_DEVICE", 0x1000, 4096)); // the address mapped again
        checks.accept(new TraceEvent.DmaUnmap(5, 40, CPU, DEV, "TO_DEVICE", 0x1000, 4096));
        checks.accept(new TraceEvent.IoPageFault(6, 50, CPU, "0000:02:00.0", 0x1000, false)); // another device's fault
        assertThat(checks.findings()).extracting(f -> f.kind().key()).containsExactly("fault-unmapped");
        assertThat(checks.findings().get(0).device()).isEqualTo("0000:02:00.0");
    }

    @Test
    void aFaultPastTheUnmappedRangeIsNotAnAccessAfterUnmap() {
        DmaApiChecks checks = new DmaApiChecks();
        checks.accept(new TraceEvent.DmaMap(1, 0, CPU, DEV, "FROM_DEVICE", 0x1000, 4096));
        checks.accept(new TraceEvent.DmaUnmap(2, 10, CPU, DEV, "FROM_DEVICE", 0x1000, 4096));
        checks.accept(new TraceEvent.IoPageFault(3, 20, CPU, DEV, 0x2000, false));
        checks.accept(new TraceEvent.IoPageFault(4, 1_000_020, CPU, DEV, 0x1fff, false));
        assertThat(checks.findings()).extracting(f -> f.kind().key()).containsExactly("fault-unmapped", "fault-after-unmap");
        assertThat(checks.findings().get(1).detail()).contains("1.000 ms after its unmap at line 2");
    }

    @Test
    void gzipIsReadAsItIsAndStrictStopsAtTheFirstSkippedLine() throws IOException {
        byte[] plain;
        try (InputStream in = getClass().getResourceAsStream("/trace/tracefs-nvme-fault-after-unmap.txt")) {
            plain = in.readAllBytes();
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        assertThat(CaptureCheck.read(new ByteArrayInputStream(gz.toByteArray()), "gz", false).findings())
                .isEqualTo(sample().findings());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaptureCheck.read(new ByteArrayInputStream(plain), "t", true))
                .hasMessage("t line 1: comment or header (--strict)");
    }

    @Test
    void aFileWithoutAnyRecordIsAnErrorAndTraceCmdReportTextIsRead() throws IOException {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaptureCheck.read(
                new ByteArrayInputStream("hello\nworld\n".getBytes()), "notes.txt", false))
                .hasMessageStartingWith("notes.txt holds no trace record in 2 lines");
        try (InputStream in = getClass().getResourceAsStream("/trace/trace-cmd-report-nvme.txt")) {
            CaptureCheck.Report r = CaptureCheck.read(in, "report", false);
            assertThat(r.events()).isEqualTo(2);
            assertThat(r.findings()).isEmpty();
            assertThat(r.firstSkipped()).extracting(CaptureCheck.SkippedLine::text).containsExactly("cpus=8");
        }
    }

    @Test
    void scatterGatherUnmapsMatchTheirMapsByPhysicalSegmentsAndFaultsAfterThemAreSeen() {
        DmaApiChecks checks = new DmaApiChecks();
        checks.accept(new TraceEvent.DmaMapSg(1, 0, CPU, DEV, "FROM_DEVICE", List.of(0x10000L), List.of(0x2000L),
                List.of(0x500000L, 0x700000L)));
        checks.accept(new TraceEvent.DmaUnmapSg(2, 10, CPU, DEV, "FROM_DEVICE", List.of(0x500000L, 0x700000L)));
        checks.accept(new TraceEvent.IoPageFault(3, 20, CPU, DEV, 0x11000, false));
        checks.accept(new TraceEvent.DmaUnmapSg(4, 30, CPU, DEV, "FROM_DEVICE", List.of(0x500000L, 0x700000L)));
        assertThat(checks.findings()).extracting(f -> f.kind().key()).containsExactly("fault-after-unmap",
                "sg-unmap-unmatched");
        assertThat(checks.findings().get(0).lines()).containsExactly(2L, 3L);
        assertThat(checks.spans().get(DEV).events()).isEqualTo(3);
    }

    @Test
    void anIommuUnmapEndsEveryMapInItsRangeAndARangeThatCutsAMapIsASizeMismatch() {
        String io = TraceEvent.IOMMU_STREAM;
        DmaApiChecks checks = new DmaApiChecks();
        checks.accept(new TraceEvent.IommuMap(1, 0, CPU, io, 0x10000, 0x1000));
        checks.accept(new TraceEvent.IommuMap(2, 0, CPU, io, 0x11000, 0x1000)); // map_sg: segment by segment
        checks.accept(new TraceEvent.IommuUnmap(3, 10, CPU, io, 0x10000, 0x2000)); // the whole buffer at once
        assertThat(checks.findings()).as("a clean map_sg and its unmap").isEmpty();
        checks.accept(new TraceEvent.IommuUnmap(4, 20, CPU, io, 0x10000, 0x2000));
        checks.accept(new TraceEvent.IommuMap(5, 30, CPU, io, 0x20000, 0x4000));
        checks.accept(new TraceEvent.IommuUnmap(6, 40, CPU, io, 0x21000, 0x1000));
        checks.accept(new TraceEvent.IommuUnmap(7, 50, CPU, io, 0x40000, 0x1000));
        assertThat(checks.findings()).extracting(f -> f.kind().key()).containsExactly("double-unmap", "size-mismatch",
                "unmap-unknown", "leak");
        assertThat(checks.findings().get(1).lines()).containsExactly(5L, 6L);
        assertThat(checks.spans()).as("the IOMMU stream replays as one device")
                .containsEntry(io, new DmaApiChecks.DeviceSpan(7, 0, 50));
    }

    @Test
    void coherentMemoryIsNoLeakButAFreeOfTheUnknownIsAndASyncMustHitAMapping() {
        DmaApiChecks checks = new DmaApiChecks();
        checks.accept(new TraceEvent.DmaAlloc(1, 0, CPU, DEV, 0xffe00000L, 16384));
        checks.accept(new TraceEvent.DmaAlloc(2, 0, CPU, DEV, 0xffd00000L, 4096)); // a ring, held to the end
        checks.accept(new TraceEvent.DmaMap(3, 0, CPU, DEV, "FROM_DEVICE", 0x1000, 8192));
        checks.accept(new TraceEvent.DmaSync(4, 0, CPU, DEV, 0x2000, 64)); // inside a live map
        checks.accept(new TraceEvent.DmaSync(5, 0, CPU, DEV, 0xffe00000L, 64)); // coherent
        checks.accept(new TraceEvent.DmaUnmap(6, 0, CPU, DEV, "FROM_DEVICE", 0x1000, 8192));
        checks.accept(new TraceEvent.DmaFree(7, 0, CPU, DEV, 0xffe00000L, 16384));
        assertThat(checks.findings()).as("clean").isEmpty();
        checks.accept(new TraceEvent.DmaSync(8, 0, CPU, DEV, 0x1000, 64)); // after its unmap
        checks.accept(new TraceEvent.DmaFree(9, 0, CPU, DEV, 0xffe00000L, 16384)); // freed twice
        checks.accept(new TraceEvent.DmaFree(10, 0, CPU, DEV, 0xffd00000L, 8192)); // wrong size
        assertThat(checks.findings()).extracting(f -> f.kind().key()).containsExactly("sync-unmapped", "free-unknown",
                "free-unknown");
        assertThat(checks.findings().get(2).detail()).isEqualTo("allocated with size 4096, freed with 8192");
    }

    @Test
    void findingsKeepTheirOrderAndLinesImmutable() {
        Finding f = new Finding(Finding.Kind.LEAK, DEV, 1, 2, new java.util.ArrayList<>(List.of(1L)), "x");
        assertThat(f.lines()).isUnmodifiable();
    }
}
