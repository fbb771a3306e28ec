package org.iommulab.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** A capture's lines, plain or gzip, and the limits that stop a hostile file in bounded time and memory. */
class TraceLinesTest {

    private static List<String> lines(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        try (TraceLines lines = TraceLines.of(in, "t")) {
            for (String s = lines.next(); s != null; s = lines.next()) {
                out.add(s);
            }
        }
        return out;
    }

    private static byte[] gzip(byte[] text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(text);
        }
        return out.toByteArray();
    }

    @Test
    void linesEndAtLineFeedCarriageReturnOrBothAndTheLastNeedsNoEnd() throws IOException {
        byte[] text = "a\nb\r\nc\rd\n\ne".getBytes(StandardCharsets.UTF_8);
        assertThat(lines(new ByteArrayInputStream(text))).containsExactly("a", "b", "c", "d", "", "e");
        assertThat(lines(new ByteArrayInputStream(gzip(text)))).containsExactly("a", "b", "c", "d", "", "e");
        assertThat(lines(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    @Test
    void aLineLongerThanTheLimitEndsTheReadWithoutReadingOn() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'a');
                return len;
            }
        };
        String ok = "x".repeat(100) + "\n";
        InputStream capture = new java.io.SequenceInputStream(new ByteArrayInputStream(ok.getBytes(StandardCharsets.UTF_8)),
                endless);
        assertThatThrownBy(() -> lines(capture)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t line 2 is longer than 1 Mi characters: not an ftrace capture");
    }

    @Test
    void aGzipBombIsRefusedOnceItInflatesPastItsBound() throws IOException {
        byte[] kibLines = new byte[(int) TraceLines.FREE_INFLATED_BYTES + (8 << 20)];
        Arrays.fill(kibLines, (byte) 'a');
        for (int i = 1023; i < kibLines.length; i += 1024) {
            kibLines[i] = '\n';
        }
        byte[] bomb = gzip(kibLines);
        assertThat((long) kibLines.length).isGreaterThan((long) TraceLines.MAX_GZIP_RATIO * bomb.length);
        assertThatThrownBy(() -> lines(new ByteArrayInputStream(bomb))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t inflates more than 200 times its compressed size: a gzip bomb, not a capture");
    }
}
