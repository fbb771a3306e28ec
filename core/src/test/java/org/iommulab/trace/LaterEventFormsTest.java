package org.iommulab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event forms beyond map and unmap: the 2026 {@code dma_map_sg} with its counts and
 * truncation mark, scatter-gather syncs, {@code dma_map_sg_err}, {@code swiotlb_bounced} in its
 * old and new form, and the IOMMU layer's group and attach events that name devices.
 */
class LaterEventFormsTest {

    private static FtraceParser.Result parse(String body) {
        return FtraceParser.parse("  fio-1 [002] ..... 10.000001: " + body, 3);
    }

    private static TraceEvent event(String body) {
        FtraceParser.Result r = parse(body);
        assertThat(r).as(body).isInstanceOf(FtraceParser.Result.Event.class);
        return ((FtraceParser.Result.Event) r).event();
    }

    private static CaptureCheck.Report check(String... lines) throws IOException {
        String capture = "# tracer: nop\n" + String.join("\n", lines) + "\n";
        return CaptureCheck.read(new ByteArrayInputStream(capture.getBytes(StandardCharsets.UTF_8)), "t", false);
    }

    @Test
    void theMapSgOf2026WithItsCountsReadsAndItsTruncatedFormIsSkippedWithTheReason() {
        TraceEvent.DmaMapSg m = (TraceEvent.DmaMapSg) event("dma_map_sg: 0000:01:00.0 dir=TO_DEVICE nents=2/2 ents=1/1"
                + " dma_addrs={0xfff00000} sizes={8192} phys_addrs={0x10000,0x11000} attrs=");
        assertThat(m.dmaAddrs()).containsExactly(0xfff00000L);
        assertThat(m.physAddrs()).containsExactly(0x10000L, 0x11000L);
        assertThat(parse("dma_map_sg: 0000:01:00.0 dir=TO_DEVICE nents=128/300 ents=128/300 [TRUNCATED]"
                + " dma_addrs={0x1000} sizes={4096} phys_addrs={0x2000} attrs="))
                .isEqualTo(new FtraceParser.Result.Skipped("dma_map_sg of more than 128 segments, which the event truncates"));
    }

    @Test
    void aScatterGatherSyncReadsAndSyncingAnUnmappedSegmentIsAFinding() throws IOException {
        assertThat(event("dma_sync_sg_for_cpu: 0000:01:00.0 dir=FROM_DEVICE dma_addrs={0x1000,0x3000} sizes={4096,512}"))
                .isEqualTo(new TraceEvent.DmaSyncSg(3, 10_000_001_000L, 2, "0000:01:00.0", List.of(0x1000L, 0x3000L),
                        List.of(4096L, 512L)));
        String map = "  fio-1 [002] ..... 10.000001: dma_map_sg: 0000:01:00.0 dir=FROM_DEVICE dma_addrs={0x1000}"
                + " sizes={4096} phys_addrs={0x9000} attrs=";
        String synced = "  fio-1 [002] ..... 10.000002: dma_sync_sg_for_device: 0000:01:00.0 dir=FROM_DEVICE"
                + " dma_addrs={0x1000} sizes={4096}";
        String stray = "  fio-1 [002] ..... 10.000003: dma_sync_sg_for_cpu: 0000:01:00.0 dir=FROM_DEVICE"
                + " dma_addrs={0x1000,0x7000} sizes={4096,4096}";
        assertThat(check(map, synced).findings()).noneMatch(f -> f.kind() == Finding.Kind.SYNC_UNMAPPED);
        List<Finding> findings = check(map, stray).findings();
        assertThat(findings).filteredOn(f -> f.kind() == Finding.Kind.SYNC_UNMAPPED).singleElement()
                .satisfies(f -> assertThat(f.iova()).isEqualTo(0x7000L));
    }

    @Test
    void aFailedMapSgAndABounceRead() {
        assertThat(event("dma_map_sg_err: 0000:01:00.0 dir=TO_DEVICE dma_addrs={0x10000,0x20000} err=-12 attrs="))
                .isEqualTo(new TraceEvent.DmaMapSgError(3, 10_000_001_000L, 2, "0000:01:00.0", -12));
        TraceEvent.SwiotlbBounce expected = new TraceEvent.SwiotlbBounce(3, 10_000_001_000L, 2, "0000:03:00.0", 0x7f000,
                1536);
        assertThat(event("swiotlb_bounced: dev_name: 0000:03:00.0 dma_mask=ffffffff dev_addr=7f000 size=1536 NORMAL"))
                .as("before v5.15, with the force mode").isEqualTo(expected);
        assertThat(event("swiotlb_bounced: dev_name: 0000:03:00.0 dma_mask=ffffffff dev_addr=7f000 size=1536"))
                .isEqualTo(expected);
    }

    @Test
    void groupAndAttachEventsNameTheDevicesOfTheIommuLayer() throws IOException {
        assertThat(event("add_device_to_group: IOMMU: groupID=7 device=0000:01:00.0"))
                .isEqualTo(new TraceEvent.IommuDevice(3, 10_000_001_000L, 2, "0000:01:00.0", "add_device_to_group", 7));
        assertThat(event("detach_device_from_domain: IOMMU: device=0000:01:00.0"))
                .isEqualTo(new TraceEvent.IommuDevice(3, 10_000_001_000L, 2, "0000:01:00.0", "detach_device_from_domain",
                        -1));
        assertThat(parse("attach_device_to_domain: IOMMU:")).isInstanceOf(FtraceParser.Result.Skipped.class);
        CaptureCheck.Report r = check("  modprobe-1 [000] ..... 1.000000: add_device_to_group: IOMMU: groupID=3 device=0000:05:00.0",
                "  modprobe-1 [000] ..... 1.000001: attach_device_to_domain: IOMMU: device=0000:05:00.0");
        assertThat(r.devices()).containsExactly("0000:05:00.0");
        assertThat(r.events()).isEqualTo(2);
    }
}
