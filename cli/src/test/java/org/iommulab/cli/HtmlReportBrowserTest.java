package org.iommulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports as a browser shows them: Debian's Chromium, headless and cut off from the network,
 * loads each report and dumps the page after it ran; every chart must be an SVG with marks in it
 * and the page must have fetched nothing. Where Chromium is missing the test fails under CI
 * (which installs it) and is skipped elsewhere, so the README's test command needs no browser.
 */
class HtmlReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void everyChartOfRunReproduceAndSweepRendersAndNothingIsFetched() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            assertThat(System.getenv("CI")).as("CI installs chromium; this test must run there").isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort("no chromium at " + CHROMIUM);
        }
        Path run = dir.resolve("run.html");
        Path reproduce = dir.resolve("reproduce.html");
        Path sweep = dir.resolve("sweep.html");
        cli("run", "--platform", "kvm", "--duration-ms", "50", "--html", run.toString());
        cli("reproduce", "--duration-ms", "50", "--platform", "kvm", "--html", reproduce.toString());
        cli("sweep", "--platform", "kvm", "--duration-ms", "50", "--axis", "dma=lazy-single,deadline-ranged", "--axis",
                "fq-size=1024,32768", "--html", sweep.toString());

        for (Path report : List.of(run, reproduce, sweep)) {
            String html = Files.readString(report);
            int figures = count(html, "<figure class=\"chart\"");
            assertThat(figures).as(report + " has charts").isGreaterThanOrEqualTo(2);
            assertThat(html).as("nothing to fetch").doesNotContainPattern("(src|href)=\"https?:");

            String dom = render(report);
            assertThat(dom).as("the page ran and fetched nothing").contains("data-resources=\"0\"");
            Matcher m = Pattern.compile("<figure class=\"chart\"[^>]*>(.*?)</figure>", Pattern.DOTALL).matcher(dom);
            int rendered = 0;
            while (m.find()) {
                assertThat(m.group(1)).as("an SVG chart").startsWith("<svg");
                assertThat(count(m.group(1), "<path")).as("marks drawn").isGreaterThan(10);
                rendered++;
            }
            assertThat(rendered).as(report + ": every chart rendered").isEqualTo(figures);
        }
    }

    /**
     * A capture from a machine nobody here controls: its device name, a line the reader skips and
     * the file's own name carry markup that would run script if a report pasted them in. The
     * report must show them as text, and under its Content-Security-Policy only its own script may
     * run: the page still counts its resources (so that script ran) and nothing set the marker.
     */
    @Test
    void aHostileCaptureIsShownAsTextAndRunsNothing() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            assertThat(System.getenv("CI")).as("CI installs chromium; this test must run there").isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort("no chromium at " + CHROMIUM);
        }
        String device = "nvme\"><svg/onload=document.body.dataset.pwned=1>";
        StringBuilder capture = new StringBuilder("# tracer: nop\n");
        capture.append("<script>document.body.dataset.pwned=2</script> \"><img src=x onerror=\"document.body.dataset.pwned=3\">\n");
        for (int i = 0; i < 20; i++) {
            long addr = 0xfff00000L - i * 4096L;
            capture.append(String.format("  fio-1 [000] ..... 100.%06d: dma_map_phys: %s dir=FROM_DEVICE"
                    + " dma_addr=%x size=4096 phys_addr=1000 attrs=%n", i * 20, device, addr));
            capture.append(String.format("  fio-1 [000] ..... 100.%06d: dma_unmap_phys: %s dir=FROM_DEVICE"
                    + " dma_addr=%x size=8192 attrs=%n", i * 20 + 10, device, addr));
        }
        Path trace = Files.writeString(dir.resolve("c <img src=x onerror=document.body.dataset.pwned=4>.txt"), capture);
        Path report = dir.resolve("replay.html");
        cli("replay", trace.toString(), "--dma", "strict", "--platform", "x86", "--html", report.toString());

        String html = Files.readString(report);
        assertThat(html).contains("Content-Security-Policy").contains("nvme&quot;&gt;&lt;svg/onload=")
                .contains("&lt;script&gt;document.body.dataset.pwned=2&lt;/script&gt;")
                .contains("&lt;img src=x onerror=document.body.dataset.pwned=4&gt;")
                .doesNotContain("<svg/onload").doesNotContain("<img src=x").doesNotContain("<script>document");
        String dom = render(report);
        assertThat(dom).as("the report's own script ran").contains("data-resources=\"0\"");
        assertThat(dom).as("no script from the capture ran").doesNotContain("data-pwned");
    }

    private static void cli(String... args) {
        CliRun cli = new CliRun();
        assertThat(cli.run(args)).as(String.join(" ", args) + ": " + cli.err()).isZero();
    }

    /** The page as Chromium holds it once loaded and its script ran. */
    private String render(Path report) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(dir.resolve("profile-" + report.getFileName()));
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile,
                "--virtual-time-budget=5000", "--dump-dom", report.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium's exit").isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
