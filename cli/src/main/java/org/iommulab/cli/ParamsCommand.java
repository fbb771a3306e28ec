package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iommulab.config.Reference;
import org.iommulab.report.CsvRenderer;
import org.iommulab.report.TextTable;
import org.iommulab.sim.Cost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab params}: every cost parameter with its unit, default and source, as the
 * reference configuration holds them; {@code --reference} prints that whole file.
 */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "List every cost parameter with its unit, default and source; --reference prints the whole"
                + " reference configuration (every default of the model: costs, hypervisor profiles, kernel,"
                + " flush queues, machine, IOMMUs, workloads).")
final class ParamsCommand implements Callable<Integer> {

    /** How the list is printed. */
    enum Format {
        table,
        markdown,
        csv,
        json
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--format", defaultValue = "table",
            description = "table, markdown, csv or json (default: ${DEFAULT-VALUE})")
    private Format format;

    @Option(names = "--reference", description = "print the reference configuration, the YAML file every default comes from")
    private boolean reference;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(reference ? Reference.fileText() : render(format));
        out.flush();
        return 0;
    }

    static String render(Format format) {
        StringBuilder sb = new StringBuilder();
        switch (format) {
            case table -> {
                TextTable t = new TextTable().left("parameter").right("default").left("unit").left("category")
                        .left("source");
                for (Cost c : Cost.values()) {
                    t.row(c.key(), c.defaultNs(), c.unit(), category(c), c.source());
                }
                sb.append(t.render());
            }
            case markdown -> {
                sb.append("| parameter | default | unit | category | source |\n");
                sb.append("| --- | ---: | --- | --- | --- |\n");
                for (Cost c : Cost.values()) {
                    sb.append(String.format("| `%s` | %d | %s | %s | %s |%n",
                            c.key(), c.defaultNs(), c.unit(), category(c), c.source().replace("|", "\\|")));
                }
            }
            case json -> sb.append(OutputFormat.json(rows()));
            case csv -> sb.append(CsvRenderer.render(rows()));
        }
        return sb.toString();
    }

    /** Every cost as a record, for JSON and CSV. */
    private static List<Map<String, Object>> rows() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Cost c : Cost.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameter", c.key());
            m.put("default", c.defaultNs());
            m.put("unit", c.unit());
            m.put("category", category(c));
            m.put("assumption", c.assumption());
            m.put("source", c.source());
            all.add(m);
        }
        return all;
    }

    private static String category(Cost c) {
        return c.category().name().toLowerCase(Locale.ROOT);
    }
}
