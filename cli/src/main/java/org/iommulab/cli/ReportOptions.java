package org.iommulab.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --html FILE} and {@code --png DIR}: the report a command also writes, for the commands that have one. */
final class ReportOptions {

    @Option(names = "--html", paramLabel = "FILE",
            description = "also write a self-contained HTML report with charts to FILE (opens offline)")
    private Path html;

    @Option(names = "--png", paramLabel = "DIR", description = "also write the report's charts as PNG files into DIR")
    private Path png;

    /** Whether a report was asked for; reports cost time, so commands build one only then. */
    boolean wanted() {
        return html != null || png != null;
    }

    void write(HtmlReport report) {
        if (html != null) {
            report.write(html);
        }
        if (png != null) {
            report.writePngs(png);
        }
    }
}
