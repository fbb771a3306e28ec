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
        assertThat(lines).anyMatch(l -> l.startsWith("throughput.iops") && l.endsWith("12345678.50  12345678.50"));
        assertThat(lines).anyMatch(l -> l.startsWith("note") && l.endsWith("-"));
        assertThat(lines).allMatch(l -> l.length() == lines.get(1).length());
    }

    @Test
    void tableOfOneRunHasAValueColumn() {
        String table = TableRenderer.render(Map.of("virtualTimeNs", 5L));
        assertThat(table).isEqualTo("metric         value\n--------------------\nvirtualTimeNs      5\n");
        assertThatThrownBy(() -> TableRenderer.render(List.of("a"), List.of())).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("one title per run");
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
                ",1,,,,,,,0.1",
                "");
    }
}
