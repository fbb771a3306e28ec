package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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

    /** Writes {@code bytes} to {@code name} and reads it: a result, or the one-line error the command prints. */
    private static void readsOrRefusesInOneLine(String name, byte[] bytes, Consumer<Path> read) throws IOException {
        Path file = DIR.resolve(name);
        Files.write(file, bytes);
        try {
            read.accept(file);
        } catch (IllegalArgumentException e) {
            oneLineError(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void runFile(FuzzedDataProvider data) throws IOException {
        readsOrRefusesInOneLine(data.consumeBoolean() ? "run.yaml" : "run.json", data.consumeRemainingAsBytes(),
                file -> RunFile.read(file).scenario(List.of()));
    }

    @FuzzTest(maxDuration = "10s")
    void sweepSpec(byte[] bytes) throws IOException {
        readsOrRefusesInOneLine("spec.yaml", bytes, SweepSpecFile::read);
    }

    @FuzzTest(maxDuration = "10s")
    void measurementsFile(byte[] bytes) throws IOException {
        readsOrRefusesInOneLine("measurements.yaml", bytes, file -> new CalibrateCommand().read(file));
    }

    @FuzzTest(maxDuration = "10s")
    void profileFile(FuzzedDataProvider data) throws IOException {
        readsOrRefusesInOneLine(data.consumeBoolean() ? "profile.yaml" : "profile.json", data.consumeRemainingAsBytes(),
                file -> CostOverrides.parse(file, List.of()));
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
