package org.iommulab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderersTest {

    private static Map<String, Object> nested() {
        Map<String, Object> io = new LinkedHashMap<>();
        io.put("submitted", 10L);
        io.put("completed", 9L);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("config", Map.of("platform", "kvm"));
        run.put("io", io);
        run.put("throughput", Map.of("iops", 12_345_678.5));
        Map<String, Object> lock = new LinkedHashMap<>();
        lock.put("name", "fq");
        lock.put("waitNs", 5L);
        run.put("locks", List.of(lock, List.of(1L, 2L)));
        run.put("note", "a, \"quoted\" value");
        return run;
    }

    @Test
    void flattenKeepsOrderAndNamesListElements() {
        Map<String, Object> flat = FlatMetrics.flatten(nested());

        assertThat(flat.keySet()).containsExactly("config.platform", "io.submitted", "io.completed",
                "throughput.iops", "locks.fq.waitNs", "locks.1.0", "locks.1.1", "note");
        assertThat(flat).containsEntry("io.completed", 9L).containsEntry("locks.1.1", 2L);
    }

    @Test
    void tableAlignsRunsSideBySide() {
        Map<String, Object> a = FlatMetrics.flatten(nested());
        Map<String, Object> b = new LinkedHashMap<>(a);
        b.remove("note");
        b.put("io.submitted", 7L);

        String table = TableRenderer.render(List.of("strict", "lazy"), List.of(a, b));

        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).matches("metric +strict +lazy");
        assertThat(lines.get(1)).matches("-+");
        assertThat(lines).anyMatch(l -> l.matches("io\\.submitted +10 +7"));
        assertThat(lines).anyMatch(l -> l.startsWith("throughput.iops") && l.endsWith("12.35M  12.35M"));
        assertThat(lines).anyMatch(l -> l.startsWith("note") && l.endsWith("-"));
        assertThat(lines).allMatch(l -> l.length() == lines.get(1).length());
    }

    @Test
    void tableOfOneRunHasAValueColumn() {
        String table = TableRenderer.render(Map.of("virtualTimeNs", 5L));
        assertThat(table).isEqualTo("metric         value\n--------------------\nvirtualTimeNs   5 ns\n");
        assertThatThrownBy(() -> TableRenderer.render(List.of("a"), List.of())).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("one title per run");
    }

    @Test
    void tableCellsCarryUnitsAndMarkCensoredWindows() {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("config.durationMs", 200000L);
        run.put("io.submitted", 59918L);
        run.put("throughput.iops", 299464.8);
        run.put("throughput.bytesPerSec", 1_226_607_819.8);
        run.put("cpu.utilisation", 0.99);
        run.put("cpu.byCategoryNs.iova", 479_344L);
        run.put("staleWindowNs.p99", 1_980_000_000L);
        run.put("staleWindowNs.lowerBound", true);
        run.put("staleWindowNs.stillOpenPages", 12_743L);
        run.put("memory.tableBytes", 514_048L);
        assertThat(TableRenderer.render(run).replaceAll(" +", " ")).contains(
                "config.durationMs 200000", "io.submitted 59.9k", "throughput.iops 299.5k",
                "throughput.bytesPerSec 1.23 GB/s", "cpu.utilisation 0.99", "cpu.byCategoryNs.iova 479.3 us",
                "staleWindowNs.p99 >= 1.98 s", "staleWindowNs.stillOpenPages 12.7k", "memory.tableBytes 502.0 KiB");
        run.put("staleWindowNs.lowerBound", false);
        assertThat(TableRenderer.render(run).replaceAll(" +", " ")).contains("staleWindowNs.p99 1.98 s");
    }

    @Test
    void csvHasAHeaderAndOneRowPerRunWithQuoting() {
        Map<String, Object> a = FlatMetrics.flatten(nested());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("io.submitted", 1L);
        b.put("extra", 0.1);

        String csv = CsvRenderer.render(List.of(a, b));

        assertThat(csv.split("\n", -1)).containsExactly(
                "config.platform,io.submitted,io.completed,throughput.iops,locks.fq.waitNs,"
                        + "locks.1.0,locks.1.1,note,extra",
                "kvm,10,9,12345678.5,5,1,2,\"a, \"\"quoted\"\" value\",",
                // an empty first field is quoted, so that a row of one empty field is not a blank line
                "\"\",1,,,,,,,0.1",
                "");
    }
}
