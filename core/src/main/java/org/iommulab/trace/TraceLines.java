package org.iommulab.trace;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The lines of a capture, plain text or gzip, streamed within limits a hostile file cannot get
 * past: a line holds at most {@link #MAX_LINE_CHARS} characters, and a gzip stream may inflate to
 * at most {@link #MAX_GZIP_RATIO} times the compressed bytes read once past the first
 * {@link #FREE_INFLATED_BYTES}. Either ends the read with a one-line error naming the file and the
 * line, in bounded memory and time. Lines end at {@code \n}, {@code \r} or {@code \r\n}.
 */
final class TraceLines implements AutoCloseable {

    /** Far beyond any tracepoint's line (a {@code dma_map_sg} of 128 segments is a few KiB). */
    static final int MAX_LINE_CHARS = 1 << 20;
    /** Text captures compress 5 to 20 times; a gzip bomb a thousand times and more. */
    static final int MAX_GZIP_RATIO = 200;
    static final long FREE_INFLATED_BYTES = 64L << 20;

    private final String name;
    private final Reader reader;
    private final char[] buf = new char[8192];
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int end;
    private long lineNo;
    private boolean skipLf;

    private TraceLines(String name, Reader reader) {
        this.name = name;
        this.reader = reader;
    }

    /** The lines of {@code raw}, gunzipped when it starts with gzip's magic number. */
    static TraceLines of(InputStream raw, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        InputStream text = in;
        if (gzip) {
            Counting compressed = new Counting(in);
            text = new Inflated(new GZIPInputStream(compressed), compressed, name);
        }
        return new TraceLines(name, new InputStreamReader(text, StandardCharsets.UTF_8));
    }

    /**
     * The next line without its terminator, or null at the end.
     *
     * @throws IllegalArgumentException when the line is longer than {@link #MAX_LINE_CHARS} or the
     *     gzip stream inflates past its bound
     */
    String next() throws IOException {
        line.setLength(0);
        while (true) {
            if (pos == end) {
                end = reader.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (line.length() == 0) {
                        return null;
                    }
                    lineNo++;
                    return line.toString();
                }
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            if (line.length() + (pos - start) > MAX_LINE_CHARS) {
                throw new IllegalArgumentException(name + " line " + (lineNo + 1) + " is longer than "
                        + (MAX_LINE_CHARS >> 20) + " Mi characters: not an ftrace capture");
            }
            if (pos < end) {
                String text = line.length() == 0 ? new String(buf, start, pos - start)
                        : line.append(buf, start, pos - start).toString();
                skipLf = buf[pos] == '\r';
                pos++;
                lineNo++;
                return text;
            }
            line.append(buf, start, pos - start);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Counts the compressed bytes the inflater has taken. */
    private static final class Counting extends FilterInputStream {
        long bytes;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            bytes += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            bytes += Math.max(n, 0);
            return n;
        }
    }

    /** The inflated stream, refused once it grows past its bound. */
    private static final class Inflated extends FilterInputStream {
        private final Counting compressed;
        private final String name;
        private long bytes;

        Inflated(InputStream in, Counting compressed, String name) {
            super(in);
            this.compressed = compressed;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            bytes += Math.max(n, 0);
            if (bytes > FREE_INFLATED_BYTES && bytes > MAX_GZIP_RATIO * Math.max(1, compressed.bytes)) {
                throw new IllegalArgumentException(name + " inflates more than " + MAX_GZIP_RATIO
                        + " times its compressed size: a gzip bomb, not a capture");
            }
            return n;
        }
    }
}
