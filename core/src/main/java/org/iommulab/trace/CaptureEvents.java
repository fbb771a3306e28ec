package org.iommulab.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The events of a capture, read one at a time as they are asked for (gzip or plain text). */
public final class CaptureEvents implements AutoCloseable {

    private final TraceLines lines;
    private long line;

    private CaptureEvents(TraceLines lines) {
        this.lines = lines;
    }

    public static CaptureEvents open(Path file) throws IOException {
        return new CaptureEvents(TraceLines.of(Files.newInputStream(file), file.toString()));
    }

    /** The next event the checks read, or null at the end of the capture; other lines are passed over. */
    public TraceEvent next() {
        try {
            for (String text = lines.next(); text != null; text = lines.next()) {
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
        lines.close();
    }
}
