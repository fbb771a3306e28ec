package org.iommulab.dma.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.ManualEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every {@code legacy-bitmap-*.txt} trace in the golden directory (produced by the
 * kernel's own lib/iommu-helper.c and bitmap code under the old pci_dma.c scheme, see
 * ../shared/golden/README.md) and compares every field of every line.
 */
class LegacyBitmapGoldenTest {

    private static final Pattern PARAM = Pattern.compile("\\b(\\w+)=(\\d+)");

    static Path goldenDir() {
        String dir = System.getProperty("iommulab.golden");
        if (dir == null) {
            fail("system property iommulab.golden is not set; core/pom.xml sets it for surefire");
        }
        Path path = Paths.get(dir);
        if (!Files.isDirectory(path)) {
            fail("golden directory " + path + " (iommulab.golden) does not exist");
        }
        return path;
    }

    static List<Path> traces() throws IOException {
        try (Stream<Path> files = Files.list(goldenDir())) {
            return files.filter(p -> p.getFileName().toString().matches("legacy-bitmap-.*\\.txt"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyTraceOfTheReadmeIsPresent() throws IOException {
        assertThat(traces()).extracting(p -> p.getFileName().toString())
                .contains("legacy-bitmap-1.txt", "legacy-bitmap-2.txt", "legacy-bitmap-3.txt",
                        "legacy-bitmap-boundary-4.txt");
    }

    @ParameterizedTest
    @MethodSource("traces")
    void replayMatchesKernel(Path trace) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.US_ASCII)) {
            String header = in.readLine();
            assertThat(header).as("%s header", trace).startsWith("# legacy-bitmap");
            Replay replay = new Replay(trace.getFileName().toString(), header);
            int lineNo = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                replay.apply(lineNo, line);
            }
            assertThat(lineNo).as("%s lines", trace).isGreaterThan(1);
        }
    }

    /** One trace's allocator and the checks of its lines. */
    private static final class Replay {
        private final String file;
        private final Cpu cpu = new ManualEngine(1).cpu(0);
        private final LegacyBitmapAllocator alloc;
        private int refreshes;

        Replay(String file, String header) {
            this.file = file;
            long pages = param(header, "pages");
            long shift = param(header, "shift");
            long boundary = param(header, "boundary_pages");
            assertThat(param(header, "align_mask")).as("%s align_mask", file).isZero();
            boolean strict = param(header, "lazy") == 0;
            this.alloc = new LegacyBitmapAllocator(new ManualEngine(1).newSpinLock("bitmap"),
                    pages, shift, boundary, strict, c -> {
                        refreshes++;
                        return 0;
                    });
        }

        private long param(String header, String name) {
            Matcher m = PARAM.matcher(header);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return Long.parseLong(m.group(2));
                }
            }
            return fail("%s: header has no %s=", file, name);
        }

        void apply(int lineNo, String line) {
            String[] f = line.split(" ");
            String actual;
            switch (f[0]) {
                case "alloc" -> {
                    long wrapsBefore = alloc.wraps();
                    int refreshesBefore = refreshes;
                    long offset = alloc.dmaAllocAddress(cpu, Integer.parseInt(f[1]));
                    boolean wrapped = alloc.wraps() != wrapsBefore;
                    if (wrapped && !alloc.strict() && refreshes != refreshesBefore + 1) {
                        fail("%s:%d: a wrap issued %d global refreshes, expected 1", file, lineNo,
                                refreshes - refreshesBefore);
                    }
                    actual = String.join(" ", "alloc", f[1], wrapped ? "WRAP" : "-",
                            offset == LegacyBitmapAllocator.NO_SPACE ? "FAIL" : Long.toString(offset),
                            state());
                }
                case "free" -> {
                    alloc.dmaFreeAddress(cpu, Long.parseLong(f[1]), Integer.parseInt(f[2]));
                    actual = String.join(" ", "free", f[1], f[2], state());
                }
                default -> {
                    fail("%s:%d: unknown operation in '%s'", file, lineNo, line);
                    return;
                }
            }
            if (!actual.equals(line)) {
                fail("%s:%d: expected '%s' but was '%s'", file, lineNo, line, actual);
            }
        }

        private String state() {
            return alloc.nextBit() + " " + alloc.used() + " " + alloc.lazy();
        }
    }
}
