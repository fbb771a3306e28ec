package org.iommulab.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --html FILE}, {@code --png DIR} and {@code --force}: the report a command also writes, for
 * the commands that have one, and whether files the command writes may replace existing ones.
 */
final class ReportOptions {

    @Option(names = "--html", paramLabel = "FILE",
            description = "also write a self-contained HTML report with charts to FILE (opens offline)")
    private Path html;

    @Option(names = "--png", paramLabel = "DIR", description = "also write the report's charts as PNG files into DIR")
    private Path png;

    @Option(names = "--force", description = "replace files this command writes (--html, --png, --save, --trace-out)"
            + " that exist already; without it an existing file is an error and is left as it is")
    private boolean force;

    /** Whether a report was asked for; reports cost time, so commands build one only then. */
    boolean wanted() {
        return html != null || png != null;
    }

    boolean force() {
        return force;
    }

    /** Refuses, before any work, an HTML report file that exists unless {@code --force}. */
    void refuseExisting() {
        OutputFiles.refuseExisting("--html", html, force);
    }

    void write(HtmlReport report) {
        if (html != null) {
            report.write(html);
        }
        if (png != null) {
            report.writePngs(png, force);
        }
    }
}
