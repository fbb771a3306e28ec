package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    /**
     * The ten numbers ending the row of {@code mode}: maps unmaps ranged global queue-full timer
     * freed peak stale-p99-us stale-max-us.
     */
    private static long[] row(String out, String mode) {
        String line = out.lines().filter(l -> l.startsWith(mode + " ")).findFirst().orElseThrow();
        String[] f = line.strip().split(" +");
        long[] v = new long[10];
        for (int i = 0; i < 10; i++) {
            v[i] = Long.parseLong(f[f.length - 10 + i]);
        }
        return v;
    }

    @Test
    void strictSyncsEveryUnmapWhileTheQueuesFlushInBatches() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("demo", "--cpus", "2", "--rounds", "2000")).isZero();
        String text = out.toString();

        long[] strict = row(text, "strict");
        long[] perCpu = row(text, "lazy-percpu");
        long[] single = row(text, "lazy-single");
        assertThat(strict[1]).isEqualTo(3998); // unmaps
        assertThat(strict[2]).isEqualTo(3998); // one ranged flush per unmap
        assertThat(strict[3]).isZero();
        assertThat(perCpu[2]).isZero();
        assertThat(perCpu[3]).isEqualTo(perCpu[4] + perCpu[5]);
        assertThat(perCpu[6]).isEqualTo(3998); // every queued IOVA freed in the end
        assertThat(perCpu[7]).isEqualTo(255);
        assertThat(single[3]).isLessThan(perCpu[3]);
        assertThat(single[7]).isEqualTo(3998);
        // strict closes every window at once; the queues keep pages reachable up to their timeout
        assertThat(strict[9]).isZero();
        assertThat(perCpu[9]).isPositive().isLessThanOrEqualTo(10_000);
        assertThat(single[9]).isGreaterThan(perCpu[9]).isLessThanOrEqualTo(1_000_000);
    }

    @Test
    void badValuesAreOneLineAndExitTwo() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("demo", "--rounds", "0")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("iommu-lab: --rounds 0 is not allowed; use 1 to 1000000");
        err.getBuffer().setLength(0);
        assertThat(cl.execute("demo", "--rounds", "2000000000")).as("an endless demo").isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("iommu-lab: --rounds 2000000000 is not allowed; use 1 to 1000000");
    }
}
