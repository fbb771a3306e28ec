package org.iommulab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FtraceParserTest {

    private static TraceEvent event(String line) {
        FtraceParser.Result r = FtraceParser.parse(line, 7);
        assertThat(r).as(line).isInstanceOf(FtraceParser.Result.Event.class);
        return ((FtraceParser.Result.Event) r).event();
    }

    @Test
    void aTracefsRecordWithItsFiveCharacterFlagsColumn() {
        assertThat(event("             fio-2231    [003] ..... 5123.000100: dma_map_phys: 0000:01:00.0 dir=FROM_DEVICE"
                + " dma_addr=fffff000 size=4096 phys_addr=1a2b3000 attrs="))
                .isEqualTo(new TraceEvent.DmaMap(7, 5_123_000_100_000L, 3, "0000:01:00.0", "FROM_DEVICE", 0xfffff000L, 4096));
    }

    @Test
    void flagsColumnsOfFourAndSevenCharactersATgidColumnOrNoTaskColumnsAtAll() {
        String body = "dma_unmap_page: 0000:02:00.0 dir=TO_DEVICE dma_addr=1000 size=512 attrs=SKIP_CPU_SYNC";
        TraceEvent.DmaUnmap expected = new TraceEvent.DmaUnmap(7, 12_500_000_000L, 0, "0000:02:00.0", "TO_DEVICE", 0x1000, 512);
        assertThat(event("  kworker/u16:3-881   [000] d..1 12.500000: " + body)).isEqualTo(expected);
        assertThat(event("  kworker/u16:3-881   [000] dNh2.1. 12.500000: " + body)).isEqualTo(expected);
        assertThat(event("  kworker/u16:3-881   (  881) [000] ..... 12.500000: " + body)).isEqualTo(expected);
        assertThat(event("  kworker/u16:3-881   [000] 12.500000: " + body)).as("no flags column").isEqualTo(expected);
        assertThat(event("12.500000: " + body)).as("no task, pid or cpu")
                .isEqualTo(new TraceEvent.DmaUnmap(7, 12_500_000_000L, -1, "0000:02:00.0", "TO_DEVICE", 0x1000, 512));
        assertThat(event("  <idle>-0 [000] ..... 12.500000: dma:" + body)).as("system-qualified name").isEqualTo(expected);
    }

    @Test
    void theEventNamesOfEveryKernelEraAndTheFaultForm() {
        String rest = " 0000:01:00.0 dir=BIDIRECTIONAL dma_addr=ffff0000 size=4096 phys_addr=1000 attrs=";
        assertThat(event("1.000001: dma_map_page:" + rest)).isInstanceOf(TraceEvent.DmaMap.class);
        assertThat(event("1.000001: dma_map_phys:" + rest)).isInstanceOf(TraceEvent.DmaMap.class);
        assertThat(event("1.000001: dma_map_resource:" + rest)).isInstanceOf(TraceEvent.DmaMap.class);
        assertThat(event("1.000001: dma_unmap_resource: 0000:01:00.0 dir=BIDIRECTIONAL dma_addr=ffff0000 size=4096 attrs="))
                .isInstanceOf(TraceEvent.DmaUnmap.class);
        assertThat(event("  <idle>-0 [003] d.h1. 5123.002400: io_page_fault: IOMMU:nvme 0000:01:00.0"
                + " iova=0x00000000fffff040 flags=0x0000"))
                .isEqualTo(new TraceEvent.IoPageFault(7, 5_123_002_400_000L, 3, "0000:01:00.0", 0xfffff040L, false));
        assertThat(event("  <idle>-0 [003] d.h1. 5123.002400: io_page_fault: IOMMU:nvme 0000:01:00.0"
                + " iova=0x00000000fffff040 flags=0x0021")).extracting(e -> ((TraceEvent.IoPageFault) e).write())
                .as("IOMMU_FAULT_WRITE").isEqualTo(true);
    }

    @Test
    void scatterGatherMapsWithTheirArraysAndUnmapsByPhysicalSegments() {
        assertThat(event("  fio-1 [002] ..... 1.000001: dma_map_sg: nvme0 dir=FROM_DEVICE dma_addrs={0x10fffe000}"
                + " sizes={0x2000} phys_addrs={0x39c4d1000,0x12000} attrs="))
                .isEqualTo(new TraceEvent.DmaMapSg(7, 1_000_001_000L, 2, "nvme0", "FROM_DEVICE", List.of(0x10fffe000L),
                        List.of(0x2000L), List.of(0x39c4d1000L, 0x12000L)));
        assertThat(event("  fio-1 [002] ..... 1.000009: dma_unmap_sg: nvme0 dir=FROM_DEVICE phys_addrs={0x39c4d1000,0x12000}"
                + " attrs=")).isEqualTo(new TraceEvent.DmaUnmapSg(7, 1_000_009_000L, 2, "nvme0", "FROM_DEVICE",
                        List.of(0x39c4d1000L, 0x12000L)));
        assertThat(FtraceParser.parse("1.0: dma_map_sg: nvme0 dir=FROM_DEVICE dma_addrs={0x1,zz} sizes={0x2,0x3}"
                + " phys_addrs={0x1} attrs=", 1)).isInstanceOf(FtraceParser.Result.Skipped.class);
        assertThat(FtraceParser.parse("1.0: dma_unmap_sg: nvme0 dir=FROM_DEVICE phys_addrs={0x1,0x2 [TRUNCATED]", 1))
                .isInstanceOf(FtraceParser.Result.Skipped.class);
    }

    @Test
    void iommuMapAndUnmapInTheirFormsBeforeAndSinceTheRangeWasPrinted() {
        TraceEvent.IommuMap map = new TraceEvent.IommuMap(7, 2_000_000L, 1, TraceEvent.IOMMU_STREAM, 0xfffff000L, 8192);
        assertThat(event("  kworker-9 [001] ..... 0.002000: map: IOMMU: iova=0x00000000fffff000 - 0x0000000100001000"
                + " paddr=0x000000012345a000 size=8192")).isEqualTo(map);
        assertThat(event("  kworker-9 [001] ..... 0.002000: map: IOMMU: iova=0x00000000fffff000"
                + " paddr=0x000000012345a000 size=8192")).as("before v5.17").isEqualTo(map);
        TraceEvent.IommuUnmap unmap = new TraceEvent.IommuUnmap(7, 2_000_000L, 1, TraceEvent.IOMMU_STREAM, 0xfffff000L, 8192);
        assertThat(event("  kworker-9 [001] ..... 0.002000: unmap: IOMMU: iova=0x00000000fffff000 - 0x0000000100001000"
                + " size=8192 unmapped_size=8192")).isEqualTo(unmap);
        assertThat(event("  kworker-9 [001] ..... 0.002000: iommu:unmap: IOMMU: iova=0x00000000fffff000 size=8192"
                + " unmapped_size=8192")).as("before v5.17").isEqualTo(unmap);
    }

    @Test
    void coherentAllocationsWithAndWithoutDirAndSingleSyncs() {
        assertThat(event("1.000001: dma_alloc: 0000:01:00.0 dir=BIDIRECTIONAL dma_addr=ffe00000 size=16384"
                + " virt_addr=00000000deadbeef flags=GFP_KERNEL attrs="))
                .isEqualTo(new TraceEvent.DmaAlloc(7, 1_000_001_000L, -1, "0000:01:00.0", 0xffe00000L, 16384));
        assertThat(event("1.000001: dma_alloc: 0000:01:00.0 dma_addr=ffe00000 size=16384 virt_addr=00000000deadbeef"
                + " flags=GFP_KERNEL attrs=")).as("before dir= was printed").isInstanceOf(TraceEvent.DmaAlloc.class);
        assertThat(event("1.000001: dma_alloc_pages: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ffe00000 size=4096"
                + " virt_addr=00000000deadbeef flags=GFP_KERNEL attrs=")).isInstanceOf(TraceEvent.DmaAlloc.class);
        assertThat(event("1.000002: dma_free: 0000:01:00.0 dma_addr=ffe00000 size=16384 virt_addr=00000000deadbeef attrs="))
                .isEqualTo(new TraceEvent.DmaFree(7, 1_000_002_000L, -1, "0000:01:00.0", 0xffe00000L, 16384));
        assertThat(event("1.000002: dma_free_pages: 0000:01:00.0 dir=FROM_DEVICE dma_addr=ffe00000 size=4096"
                + " virt_addr=00000000deadbeef attrs=")).isInstanceOf(TraceEvent.DmaFree.class);
        assertThat(event("1.000003: dma_sync_single_for_cpu: 0000:01:00.0 dir=FROM_DEVICE dma_addr=fffff000 size=4096"))
                .isEqualTo(new TraceEvent.DmaSync(7, 1_000_003_000L, -1, "0000:01:00.0", 0xfffff000L, 4096));
        assertThat(event("1.000003: dma_sync_single_for_device: 0000:01:00.0 dir=TO_DEVICE dma_addr=fffff000 size=64"))
                .isInstanceOf(TraceEvent.DmaSync.class);
    }

    @Test
    void linesThatAreNoRecordOrACutOffRecordSayWhy() {
        assertThat(FtraceParser.parse("# tracer: nop", 1)).isEqualTo(new FtraceParser.Result.Skipped("comment or header"));
        assertThat(FtraceParser.parse("", 1)).isEqualTo(new FtraceParser.Result.Skipped("blank"));
        assertThat(FtraceParser.parse("[  512.334455] nvme nvme0: I/O 12 QID 3 timeout", 1))
                .isEqualTo(new FtraceParser.Result.Skipped("not a trace record"));
        assertThat(FtraceParser.parse("  fio-1 [000] ..... 1.000000: dma_map_phys: 0000:01:00.0 dir=FROM_DEV", 1))
                .isInstanceOf(FtraceParser.Result.Skipped.class);
        assertThat(FtraceParser.parse("  fio-1 [000] ..... 1.000000: sched_switch: prev_comm=fio", 1))
                .isEqualTo(new FtraceParser.Result.Other("sched_switch"));
        assertThat(FtraceParser.parse("99999999999999999999.000000: dma_map_phys: d dir=TO_DEVICE dma_addr=1 size=1", 1))
                .isInstanceOf(FtraceParser.Result.Skipped.class);
    }
}
