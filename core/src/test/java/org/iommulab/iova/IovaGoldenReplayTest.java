package org.iommulab.iova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.iommulab.golden.GoldenTrace;
import org.iommulab.golden.TraceHeader;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the kernel-produced IOVA traces (golden/README.md on the test classpath) line by line
 * against {@link IovaDomain} and compares every field: results, {@code max32_alloc_size}, both
 * cached nodes, node and cached-pfn digests, depot sizes and per-CPU magazine fills. The domain is
 * built from the trace's header (granule, start pfn, CPU count, magazine size, trim period). Each
 * line is re-rendered from the model's answers in the trace's own format and compared as a
 * string, so a mismatch shows the expected and the actual line side by side.
 */
class IovaGoldenReplayTest {

    /** The most CPUs a replay builds (the model itself has no such limit). */
    private static final long MAX_CPUS = 4096;
    /** The largest granule {@code init_iova_domain} takes: the 4 KiB page. */
    private static final long PAGE_SIZE = 4096;

    static List<String> treeTraces() {
        return GoldenTrace.named("iova-tree-", 4);
    }

    static List<String> rcacheTraces() {
        return GoldenTrace.named("iova-rcache-", 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("treeTraces")
    void treeTraceReplaysExactly(String trace) throws IOException {
        replayTree(trace, GoldenTrace.lines(trace));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rcacheTraces")
    void rcacheTraceReplaysExactly(String trace) throws IOException {
        replayRcache(trace, GoldenTrace.lines(trace));
    }

    @Test
    void aMagazineSizeTheModelDoesNotHaveIsRefused() {
        List<String> lines = List.of("# iova-rcache | init_iova_domain(granule=4096,start_pfn=1) ncpu=2"
                + " IOVA_MAG_SIZE=64 ops=0 trim_every=1000");
        assertThatThrownBy(() -> replayRcache("t.txt", lines))
                .hasMessage("t.txt: header IOVA_MAG_SIZE=64 cannot be replayed; the model takes 127");
    }

    @Test
    void aGranuleAboveThePageIsRefused() {
        List<String> lines = List.of("# iova-tree | init_iova_domain(granule=8192,start_pfn=1) ops=0");
        assertThatThrownBy(() -> replayTree("t.txt", lines))
                .hasMessage("t.txt: header granule=8192 cannot be replayed; the model takes 1..4096");
    }

    private static IovaDomain domain(String trace, TraceHeader h, ManualEngine engine) {
        long granule = h.require("granule", 1, PAGE_SIZE);
        if (Long.bitCount(granule) != 1) {
            throw new IllegalArgumentException(trace + ": header granule=" + granule + " is not a power of 2");
        }
        return new IovaDomain(engine, granule, h.require("start_pfn", 0, IovaDomain.IOVA_ANCHOR - 1));
    }

    private static void replayTree(String trace, List<String> lines) {
        TraceHeader h = TraceHeader.parse(trace, lines.get(0));
        ManualEngine engine = new ManualEngine((int) h.optional("ncpu", 1, 1, MAX_CPUS));
        Cpu cpu = engine.cpu(0);
        IovaDomain d = domain(trace, h, engine);
        long ops = h.require("ops", 0, Integer.MAX_VALUE);
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
                default -> fail("%s:%d: unknown operation '%s'", trace, i + 1, f[0]);
            }
            actual.append(' ').append(d.max32AllocSize())
                    .append(' ').append(anchorOr(d.cached32PfnLo()))
                    .append(' ').append(anchorOr(d.cachedPfnLo()));
            check(trace, i, lines.get(i), actual);
        }
        assertThat(lines.size() - 1L).as("operations replayed").isEqualTo(ops);
    }

    private static void replayRcache(String trace, List<String> lines) {
        TraceHeader h = TraceHeader.parse(trace, lines.get(0));
        h.require("IOVA_MAG_SIZE", IovaMagazine.IOVA_MAG_SIZE, IovaMagazine.IOVA_MAG_SIZE);
        ManualEngine engine = new ManualEngine((int) h.require("ncpu", 1, MAX_CPUS));
        IovaDomain d = domain(trace, h, engine);
        d.initRcaches();
        long ops = h.require("ops", 0, Integer.MAX_VALUE);
        long trimEvery = h.require("trim_every", 1, Integer.MAX_VALUE);
        StringBuilder actual = new StringBuilder();
        int trims = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = split(lines.get(i));
            actual.setLength(0);
            switch (f[1]) {
                case "alloc" -> {
                    Cpu cpu = cpu(trace, i, engine, f[0]);
                    long pfn = d.allocIovaFast(cpu, num(f[2]), num(f[3]), f[4].equals("1"));
                    head(actual, f, 5).append(pfn == 0 ? "FAIL" : Long.toString(pfn));
                }
                case "free" -> {
                    Cpu cpu = cpu(trace, i, engine, f[0]);
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
                default -> fail("%s:%d: unknown operation '%s'", trace, i + 1, f[1]);
            }
            actual.append(' ').append(d.nodeCount()).append(' ').append(d.cachedPfnCount());
            check(trace, i, lines.get(i), actual);
        }
        assertThat(lines.size() - 1L - trims).as("alloc/free operations replayed").isEqualTo(ops);
        assertThat((long) trims).as("trim rounds").isEqualTo(ops / trimEvery);
    }

    private static Cpu cpu(String trace, int index, ManualEngine engine, String field) {
        long c = num(field);
        if (c < 0 || c >= engine.nrCpus()) {
            fail("%s:%d: CPU %s is outside the header's ncpu=%d", trace, index + 1, field, engine.nrCpus());
        }
        return engine.cpu((int) c);
    }

    private static void check(String trace, int index, String expected, CharSequence actual) {
        if (!expected.contentEquals(actual)) {
            fail("%s:%d:%n  expected: %s%n  actual:   %s", trace, index + 1, expected, actual);
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

    /** Splits a line on single spaces. */
    private static String[] split(String line) {
        String[] out = new String[16];
        int n = 0;
        int from = 0;
        while (true) {
            int sp = line.indexOf(' ', from);
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            if (sp < 0) {
                out[n] = line.substring(from);
                return Arrays.copyOf(out, n + 1);
            }
            out[n++] = line.substring(from, sp);
            from = sp + 1;
        }
    }
}
