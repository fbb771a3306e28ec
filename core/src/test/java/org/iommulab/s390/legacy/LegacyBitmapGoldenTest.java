package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
import org.iommulab.golden.GoldenTrace;
import org.iommulab.golden.TraceHeader;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every {@code legacy-bitmap-*} trace of the golden index (produced by the kernel's own
 * lib/iommu-helper.c and bitmap code under the old pci_dma.c scheme; golden/README.md on the test
 * classpath) and compares every field of every line. The bitmaps are built from the header.
 */
class LegacyBitmapGoldenTest {

    static List<String> traces() {
        return GoldenTrace.named("legacy-bitmap-", 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void replayMatchesKernel(String trace) throws IOException {
        List<String> lines = GoldenTrace.lines(trace);
        Replay replay = new Replay(trace, lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            replay.apply(i + 1, lines.get(i));
        }
        assertThat(lines.size() - 1L).as("%s operations", trace).isEqualTo(replay.ops);
    }

    @Test
    void anAlignMaskTheSchemeNeverUsedIsRefused() {
        assertThatThrownBy(() -> new Replay("t.txt", "# legacy-bitmap | pages=64 shift=0 boundary_pages=16 align_mask=1 lazy=1 ops=0"))
                .hasMessage("t.txt: header align_mask=1 cannot be replayed; the model takes 0");
    }

    /** One trace's allocator and the checks of its lines. */
    private static final class Replay {
        private final String file;
        private final Cpu cpu = new ManualEngine(1).cpu(0);
        private final LegacyBitmapAllocator alloc;
        private final long ops;
        private int refreshes;

        Replay(String file, String header) {
            this.file = file;
            TraceHeader h = TraceHeader.parse(file, header);
            if (!h.kind().equals("legacy-bitmap")) {
                throw new IllegalArgumentException(file + ": header kind '" + h.kind() + "' is not legacy-bitmap");
            }
            long pages = h.require("pages", 2, Integer.MAX_VALUE);
            long shift = h.require("shift", 0, 52);
            long boundary = h.require("boundary_pages", 1, 1L << 52);
            h.require("align_mask", 0, 0);
            boolean strict = h.require("lazy", 0, 1) == 0;
            this.ops = h.require("ops", 0, Integer.MAX_VALUE);
            this.alloc = new LegacyBitmapAllocator(new ManualEngine(1).newSpinLock("bitmap"),
                    pages, shift, boundary, strict, c -> {
                        refreshes++;
                        return 0;
                    });
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
