package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are written whole or not at all, and never over an existing file without --force. */
class OutputFilesTest {

    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path file = Files.writeString(dir.resolve("report.html"), "the old report");
        assertThatThrownBy(() -> OutputFiles.write("--html", file, tmp -> {
            Files.writeString(tmp, "half of the new");
            throw new IOException("No space left on device");
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--html " + file + " cannot be written: No space left on device");
        assertThat(Files.readString(file)).isEqualTo("the old report");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aCompleteWriteReplacesTheFileAndAnErrorOfTheWorkPassesThrough() throws IOException {
        Path file = dir.resolve("trace.txt");
        OutputFiles.write("--trace-out", file, tmp -> Files.writeString(tmp, "dma_map_phys"));
        assertThat(Files.readString(file)).isEqualTo("dma_map_phys");
        assertThatThrownBy(() -> OutputFiles.write("--trace-out", file, tmp -> {
            throw new IllegalStateException("the simulation failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the simulation failed");
        assertThat(Files.readString(file)).isEqualTo("dma_map_phys");
    }

    @Test
    void anExistingFileIsRefusedBeforeTheRunUnlessForced() throws IOException {
        Path html = Files.writeString(dir.resolve("kvm.html"), "keep me");
        CliRun cli = new CliRun();
        assertThat(cli.run("run", "--duration-ms", "5", "--cpus", "2", "--html", html.toString())).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("iommu-lab: --html " + html + " exists; add --force to replace it");
        assertThat(Files.readString(html)).isEqualTo("keep me");

        Path trace = Files.writeString(dir.resolve("t.trace"), "keep me too");
        assertThat(new CliRun().run("run", "--duration-ms", "5", "--cpus", "2", "--trace-out", trace.toString()))
                .isEqualTo(2);
        assertThat(Files.readString(trace)).isEqualTo("keep me too");

        CliRun forced = new CliRun();
        assertThat(forced.run("run", "--duration-ms", "5", "--cpus", "2", "--html", html.toString(), "--force",
                "--trace-out", trace.toString())).as(forced.err()).isZero();
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>");
        assertThat(Files.readString(trace)).contains("dma_map");
    }

    @Test
    void pngsAreRefusedBeforeAnyIsWrittenWhenOneExists() throws IOException {
        Path charts = Files.createDirectories(dir.resolve("charts"));
        CliRun first = new CliRun();
        assertThat(first.run("run", "--duration-ms", "5", "--cpus", "2", "--png", charts.toString())).as(first.err())
                .isZero();
        long written;
        try (var files = Files.list(charts)) {
            written = files.count();
        }
        assertThat(written).isPositive();
        CliRun again = new CliRun();
        assertThat(again.run("run", "--duration-ms", "5", "--cpus", "2", "--png", charts.toString())).isEqualTo(2);
        assertThat(again.err()).contains("exists; add --force to replace it");
        assertThat(new CliRun().run("run", "--duration-ms", "5", "--cpus", "2", "--png", charts.toString(), "--force"))
                .isZero();
        try (var files = Files.list(charts)) {
            assertThat(files.count()).as("no temporary file left").isEqualTo(written);
        }
    }
}
