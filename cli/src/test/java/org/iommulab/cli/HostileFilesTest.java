package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files crafted to hurt a reader: each ends in one line on stderr naming the file and what is
 * wrong, exit 2, and no stack trace, having read no more than its limit.
 */
class HostileFilesTest {

    @TempDir
    Path dir;

    private static void refused(CliRun cli, int exit, String... expected) {
        assertThat(exit).as(cli.err()).isEqualTo(2);
        String err = cli.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("iommu-lab: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String e : expected) {
            assertThat(err).contains(e);
        }
    }

    private static String aliasBomb(String under) {
        StringBuilder y = new StringBuilder(under).append(":\n  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            y.append("  l").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        return y.toString();
    }

    @Test
    void anAliasBombStaysAsSmallAsItsFile() throws IOException {
        Path run = Files.writeString(dir.resolve("bomb.yaml"), aliasBomb("costOverrides"));
        CliRun cli = new CliRun();
        refused(cli, cli.run("run", "--config", run.toString()), "bomb.yaml line 2",
                "costOverrides.l0 must be a single value");
        Path spec = Files.writeString(dir.resolve("spec.yaml"), aliasBomb("axes"));
        CliRun sweep = new CliRun();
        refused(sweep, sweep.run("sweep", spec.toString()), "--axis l0 is not a run option");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep.json", "deep.yaml"})
    void deepNestingIsCutAtItsLimit(String name) throws IOException {
        StringBuilder block = new StringBuilder("cpus:\n");
        for (int i = 1; i < 100; i++) {
            block.append("  ".repeat(i)).append("a:\n");
        }
        Path file = Files.writeString(dir.resolve(name), name.endsWith(".json")
                ? "{\"cpus\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}" : block.toString());
        CliRun cli = new CliRun();
        refused(cli, cli.run("run", "--config", file.toString()), "nesting depth (65) exceeds the maximum allowed (64");
    }

    @Test
    void longLinesStringsAndNumbersAreRefusedBeforeAnyUse() throws IOException {
        Path yaml = Files.writeString(dir.resolve("long.yaml"), "platform: " + "x".repeat(900_000) + "\n");
        CliRun a = new CliRun();
        refused(a, a.run("run", "--config", yaml.toString()), "long.yaml line 1 is 900010 bytes long");
        Path json = Files.writeString(dir.resolve("long.json"), "{\"platform\": \"" + "x".repeat(900_000) + "\"}");
        CliRun b = new CliRun();
        refused(b, b.run("run", "--config", json.toString()), "long.json", "String value length");
        Path number = Files.writeString(dir.resolve("number.json"), "{\"cpus\": " + "9".repeat(1000) + "}");
        CliRun c = new CliRun();
        refused(c, c.run("run", "--config", number.toString()), "number.json", "Number value length");
        Path measurements = Files.writeString(dir.resolve("m.yaml"), "platform: kvm\nnote: \"" + "y".repeat(5000)
                + "\"\n");
        CliRun d = new CliRun();
        refused(d, d.run("calibrate", measurements.toString()), "m.yaml holds a value of 5000 characters");
    }

    @Test
    void aFileWithoutEndIsReadOnlyUpToItsLimit() throws IOException {
        Path big = dir.resolve("big.json");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            out.write(spaces);
            out.write(spaces);
        }
        CliRun cli = new CliRun();
        refused(cli, cli.run("run", "--config", big.toString()), "big.json is larger than 1 MiB");
        Path zero = Path.of("/dev/zero");
        if (Files.isReadable(zero)) {
            CliRun dev = new CliRun();
            refused(dev, dev.run("run", "--config", zero.toString()), "/dev/zero is larger than 1 MiB");
        }
    }

    @Test
    void aTraceWithAnEndlessLineOrAGzipBombEndsInOneLine() throws IOException {
        Path line = Files.writeString(dir.resolve("line.trace"), "# tracer: nop\n" + "a".repeat(3 << 20) + "\n");
        CliRun a = new CliRun();
        refused(a, a.run("replay", line.toString()), "line.trace line 2 is longer than 1 Mi characters");

        Path bomb = dir.resolve("bomb.trace.gz");
        byte[] kibLines = new byte[1 << 20];
        Arrays.fill(kibLines, (byte) 'a');
        for (int i = 1023; i < kibLines.length; i += 1024) {
            kibLines[i] = '\n';
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            for (int i = 0; i < 80; i++) {
                out.write(kibLines);
            }
        }
        CliRun b = new CliRun();
        refused(b, b.run("replay", bomb.toString()), "bomb.trace.gz inflates more than 200 times its compressed size");
    }

    @Test
    void argumentFilesAreNotReadSoNoneCanFailBeforeTheHandlers() {
        CliRun cli = new CliRun();
        refused(cli, cli.run("@/"), "Unmatched argument at index 0: '@/'");
    }

    @Test
    void anErrorEchoingAHugeValueIsCutToOneBoundedLine() {
        CliRun cli = new CliRun();
        String value = "z".repeat(50_000) + "\n\u001b[31m";
        refused(cli, cli.run("run", "--platform", value), "more characters)");
        assertThat(cli.err().strip().length()).isLessThan(Main.MAX_ERROR_CHARS + 100);
        assertThat(new String(cli.err().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).doesNotContain("\u001b");
    }
}
