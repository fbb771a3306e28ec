package org.iommulab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Jazzer on the capture reader: any bytes, as a capture, give a report or the one clear error of a
 * file without records, never anything else. Without JAZZER_FUZZ it runs the seed captures beside
 * it (FtraceParserFuzzTestInputs) as a regression test; {@code scripts/fuzz} fuzzes for a while.
 */
class FtraceParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] capture) throws IOException {
        try {
            CaptureCheck.Report r = CaptureCheck.read(new ByteArrayInputStream(capture), "fuzz", false);
            assertThat(r.events() + r.skipped()).isEqualTo(r.lines());
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("fuzz holds no trace record");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // bytes that start as gzip but are not: a read error the command reports as one line
        }
    }
}
