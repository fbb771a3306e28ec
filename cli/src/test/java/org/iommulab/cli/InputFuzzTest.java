package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.iommulab.fault.Faults;
import picocli.CommandLine;

/**
 * Jazzer on the settings files and the command line: any bytes as a run file, a sweep spec, a
 * measurements file or a cost profile, any text as {@code --fault}, any argument vector, give a
 * scenario, a spec, measurements, costs, faults or a parse, or the one-line user error the command
 * prints; never another exception. Without JAZZER_FUZZ each replays its seeds beside it
 * (InputFuzzTestInputs); {@code scripts/fuzz} fuzzes each for a while.
 */
class InputFuzzTest {

    private static final Path DIR;
    /** Built once: picocli resets every option before each parse. */
    private static final CommandLine PARSER = Main.commandLine();

    static {
        try {
            DIR = Files.createTempDirectory("iommu-lab-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void oneLineError(IllegalArgumentException e) {
        assertThat(Main.oneLine(e.getMessage())).isNotBlank();
    }

    @FuzzTest(maxDuration = "10s")
    void runFile(FuzzedDataProvider data) throws IOException {
        Path file = DIR.resolve(data.consumeBoolean() ? "run.yaml" : "run.json");
        Files.write(file, data.consumeRemainingAsBytes());
        try {
            RunFile.read(file).scenario(List.of());
        } catch (IllegalArgumentException e) {
            oneLineError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void sweepSpec(byte[] bytes) throws IOException {
        Path file = DIR.resolve("spec.yaml");
        Files.write(file, bytes);
        try {
            SweepSpecFile.read(file);
        } catch (IllegalArgumentException e) {
            oneLineError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void measurementsFile(byte[] bytes) throws IOException {
        Path file = DIR.resolve("measurements.yaml");
        Files.write(file, bytes);
        try {
            new CalibrateCommand().read(file);
        } catch (IllegalArgumentException e) {
            oneLineError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void profileFile(FuzzedDataProvider data) throws IOException {
        Path file = DIR.resolve(data.consumeBoolean() ? "profile.yaml" : "profile.json");
        Files.write(file, data.consumeRemainingAsBytes());
        try {
            CostOverrides.parse(file, List.of());
        } catch (IllegalArgumentException e) {
            oneLineError(e);
        }
    }

    /** Any text as {@code --fault}: refused in one line, or faults that print as text that reads back the same. */
    @FuzzTest(maxDuration = "10s")
    void faultSpec(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Faults f = Faults.parse(text);
            assertThat(Faults.parse(f.toString())).isEqualTo(f);
        } catch (IllegalArgumentException e) {
            oneLineError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void commandLine(FuzzedDataProvider data) {
        String[] args = data.consumeRemainingAsString().split("\u0000| ", -1);
        try {
            PARSER.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            assertThat(e.getMessage()).isNotNull();
        }
    }
}
