package org.iommulab.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The events of a capture, read one at a time as they are asked for (gzip or plain text). */
public final class CaptureEvents implements AutoCloseable {

    private final BufferedReader reader;
    private long line;

    private CaptureEvents(BufferedReader reader) {
        this.reader = reader;
    }

    public static CaptureEvents open(Path file) throws IOException {
        return new CaptureEvents(reader(Files.newInputStream(file)));
    }

    /** Text from {@code raw}, gunzipped when it starts with gzip's magic number. */
    static BufferedReader reader(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8));
    }

    /** The next event the checks read, or null at the end of the capture; other lines are passed over. */
    public TraceEvent next() {
        try {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                if (FtraceParser.parse(text, line) instanceof FtraceParser.Result.Event e) {
                    return e.event();
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
