package org.iommulab.iova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.ManualEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the kernel-produced IOVA traces (shared/golden, README there) line by line against
 * {@link IovaDomain} and compares every field: results, {@code max32_alloc_size}, both cached
 * nodes, node and cached-pfn digests, depot sizes and per-CPU magazine fills. Each line is
 * re-rendered from the model's answers in the trace's own format and compared as a string, so a
 * mismatch shows the expected and the actual line side by side.
 */
class IovaGoldenReplayTest {

    private static final long GRANULE = 4096;
    private static final long START_PFN = 1;

    static Stream<Path> treeTraces() throws IOException {
        return traces("iova-tree-", 4);
    }

    static Stream<Path> rcacheTraces() throws IOException {
        return traces("iova-rcache-", 3);
    }

    private static Stream<Path> traces(String prefix, int atLeast) throws IOException {
        String dir = System.getProperty("iommulab.golden");
        if (dir == null) {
            throw new IllegalStateException("system property iommulab.golden is not set (core/pom.xml sets it)");
        }
        Path golden = Path.of(dir);
        if (!Files.isDirectory(golden)) {
            throw new IllegalStateException("golden trace directory " + golden + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(golden)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".txt");
            }).sorted().toList();
        }
        if (files.size() < atLeast) {
            throw new IllegalStateException("expected at least " + atLeast + " " + prefix + "*.txt in " + golden
                    + ", found " + files);
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("treeTraces")
    void treeTraceReplaysExactly(Path trace) throws IOException {
        List<String> lines = Files.readAllLines(trace, StandardCharsets.US_ASCII);
        ManualEngine engine = new ManualEngine(4);
        Cpu cpu = engine.cpu(0);
        IovaDomain d = new IovaDomain(engine, GRANULE, START_PFN);
        StringBuilder actual = new StringBuilder();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = split(lines.get(i));
            actual.setLength(0);
            switch (f[0]) {
                case "alloc" -> {
                    Iova r = d.allocIova(cpu, num(f[1]), num(f[2]), f[3].equals("1"));
                    head(actual, f, 4).append(r == null ? "FAIL -" : r.pfnLo() + " " + r.pfnHi());
                }
                case "free" -> {
                    long pfn = num(f[1]);
                    Iova r = d.findIova(cpu, pfn);
                    d.freeIova(cpu, pfn);
                    head(actual, f, 2).append(r == null ? "NONE -" : r.pfnLo() + " " + r.pfnHi());
                    if (d.findIova(cpu, pfn) != null) {
                        actual.append(" [pfn still allocated after free]");
                    }
                }
                case "find" -> {
                    Iova r = d.findIova(cpu, num(f[1]));
                    head(actual, f, 2).append(r == null ? "NONE -" : r.pfnLo() + " " + r.pfnHi());
                }
                case "reserve" -> {
                    Iova r = d.reserveIova(cpu, num(f[1]), num(f[2]));
                    head(actual, f, 3).append(r == null ? "FAIL -" : r.pfnLo() + " " + r.pfnHi());
                }
                default -> fail("%s:%d: unknown operation '%s'", trace.getFileName(), i + 1, f[0]);
            }
            actual.append(' ').append(d.max32AllocSize())
                    .append(' ').append(anchorOr(d.cached32PfnLo()))
                    .append(' ').append(anchorOr(d.cachedPfnLo()));
            check(trace, i, lines.get(i), actual);
        }
        assertThat(lines.size() - 1).as("operations replayed").isEqualTo(ops(lines.get(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rcacheTraces")
    void rcacheTraceReplaysExactly(Path trace) throws IOException {
        List<String> lines = Files.readAllLines(trace, StandardCharsets.US_ASCII);
        ManualEngine engine = new ManualEngine(4);
        IovaDomain d = new IovaDomain(engine, GRANULE, START_PFN);
        d.initRcaches();
        StringBuilder actual = new StringBuilder();
        int trims = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = split(lines.get(i));
            actual.setLength(0);
            switch (f[1]) {
                case "alloc" -> {
                    Cpu cpu = engine.cpu((int) num(f[0]));
                    long pfn = d.allocIovaFast(cpu, num(f[2]), num(f[3]), f[4].equals("1"));
                    head(actual, f, 5).append(pfn == 0 ? "FAIL" : Long.toString(pfn));
                }
                case "free" -> {
                    Cpu cpu = engine.cpu((int) num(f[0]));
                    d.freeIovaFast(cpu, num(f[2]), num(f[3]));
                    head(actual, f, 4).setLength(actual.length() - 1);
                }
                case "trim" -> {
                    int ran = d.runDepotTrimRound(engine.cpu(0));
                    trims++;
                    actual.append("- trim");
                    for (int order = 0; order < IovaDomain.IOVA_RANGE_CACHE_MAX_SIZE; order++) {
                        actual.append(' ').append(d.depotSize(order));
                    }
                    actual.append(' ').append(ran);
                    for (int c = 0; c < engine.nrCpus(); c++) {
                        actual.append(' ');
                        for (int order = 0; order < IovaDomain.IOVA_RANGE_CACHE_MAX_SIZE; order++) {
                            actual.append(order == 0 ? "" : ",")
                                    .append(d.loadedSize(c, order)).append(':').append(d.prevSize(c, order));
                        }
                    }
                }
                default -> fail("%s:%d: unknown operation '%s'", trace.getFileName(), i + 1, f[1]);
            }
            actual.append(' ').append(d.nodeCount()).append(' ').append(d.cachedPfnCount());
            check(trace, i, lines.get(i), actual);
        }
        assertThat(lines.size() - 1 - trims).as("alloc/free operations replayed").isEqualTo(ops(lines.get(0)));
        assertThat(trims).as("trim rounds").isEqualTo(50);
    }

    private static void check(Path trace, int index, String expected, CharSequence actual) {
        if (!expected.contentEquals(actual)) {
            fail("%s:%d:%n  expected: %s%n  actual:   %s", trace.getFileName(), index + 1, expected, actual);
        }
    }

    /** The first {@code n} fields of the trace line, each followed by a space. */
    private static StringBuilder head(StringBuilder sb, String[] f, int n) {
        for (int k = 0; k < n; k++) {
            sb.append(f[k]).append(' ');
        }
        return sb;
    }

    private static String anchorOr(long pfn) {
        return pfn == IovaDomain.IOVA_ANCHOR ? "A" : Long.toString(pfn);
    }

    private static long num(String s) {
        return Long.parseLong(s);
    }

    /** The {@code ops=N} count of a trace header. */
    private static int ops(String header) {
        int at = header.indexOf(" ops=") + 5;
        int end = at;
        while (end < header.length() && Character.isDigit(header.charAt(end))) {
            end++;
        }
        return Integer.parseInt(header.substring(at, end));
    }

    /** Splits a line on single spaces. */
    private static String[] split(String line) {
        String[] out = new String[16];
        int n = 0;
        int from = 0;
        while (true) {
            int sp = line.indexOf(' ', from);
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            if (sp < 0) {
                out[n] = line.substring(from);
                return java.util.Arrays.copyOf(out, n + 1);
            }
            out[n++] = line.substring(from, sp);
            from = sp + 1;
        }
    }
}
