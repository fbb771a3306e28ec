package org.iommulab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sample captures of each kernel era and tool (corpus/README.md): what each reads, what it
 * skips and why, and the findings, the access after unmap among them.
 */
class KernelEraCorpusTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "v5.16-iommu.trace;     19; 7; 12; iommu 0000:03:00.0;  fault-after-unmap",
        "v6.12-dma-page.trace;  22; 9; 13; 0000:01:00.0 iommu;  fault-after-unmap leak",
        "v6.18-dma-phys.trace;   9; 6;  3; 0000:04:00.0;        fault-after-unmap",
        "2026-dma-sg.trace;      9; 7;  2; 0000:06:00.0;        fault-after-unmap",
        "trace-cmd-report.txt;   5; 4;  1; 0000:01:00.0;        fault-after-unmap leak",
    })
    void eachCaptureReadsItsEventsAndNamesWhatItSkipped(String file, long lines, long events, long skipped,
            String devices, String findings) throws IOException {
        CaptureCheck.Report r;
        try (InputStream in = getClass().getResourceAsStream("corpus/" + file)) {
            r = CaptureCheck.read(in, file, false);
        }
        assertThat(r.lines()).isEqualTo(lines);
        assertThat(r.events()).isEqualTo(events);
        assertThat(r.skipped()).isEqualTo(skipped);
        assertThat(r.devices()).containsExactlyElementsOf(List.of(devices.split(" ")));
        assertThat(r.findings()).extracting(f -> f.kind().key()).containsExactlyElementsOf(List.of(findings.split(" ")));
        assertThat(r.skippedByWhy().keySet()).allMatch(why -> !why.isBlank());
    }
}
