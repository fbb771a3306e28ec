package org.iommulab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files the tool writes (reports, charts, profiles, traces): whole or not at all, and never
 * over a file the user has not said to replace. Each is written to a temporary file in the same
 * directory and renamed into place once complete, so a failure or a crash leaves the old file, or
 * none, never half of one.
 */
final class OutputFiles {

    private OutputFiles() {}

    /** How a file's content is written, to the temporary path given. */
    @FunctionalInterface
    interface Body {
        void writeTo(Path tmp) throws IOException;
    }

    /**
     * Refuses {@code file}, given with {@code option}, if it exists and {@code force} is off: asked
     * before the work, so that a long run is not lost to a name already taken.
     */
    static void refuseExisting(String option, Path file, boolean force) {
        if (file != null && !force && Files.exists(file)) {
            throw new IllegalArgumentException(option + " " + file + " exists; add --force to replace it");
        }
    }

    /** Writes {@code file} whole through a temporary file beside it; a failure is a user error naming it. */
    static void write(String option, Path file, Body body) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            body.writeTo(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(tmp);
            throw new IllegalArgumentException(option + " " + file + " cannot be written: " + e.getMessage());
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // the write failed already; that is the error to report
            }
        }
    }
}
