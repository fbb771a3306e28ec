package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.report.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code iommu-lab policies}: the registered invalidation policies, what they do and where they run. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = "List the registered invalidation policies (the values of --dma).")
final class PoliciesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table or json (default: ${DEFAULT-VALUE})")
    private OutputFormat format;

    @Override
    public Integer call() {
        if (format == OutputFormat.csv) {
            throw new IllegalArgumentException("--format csv is not offered by policies; use table or json");
        }
        List<Map<String, Object>> rows = Policies.all().stream().map(PoliciesCommand::row).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.print(OutputFormat.json(rows));
        } else {
            TextTable t = new TextTable().left("name").left("platforms").left("--fq-size").left("description");
            for (Map<String, Object> r : rows) {
                t.row(r.get("name"), String.join(",", platforms(r)),
                        Boolean.TRUE.equals(r.get("queueSettings")) ? "takes" : "-", r.get("description"));
            }
            out.print(t.render());
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> row(InvalidationPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("platforms", Arrays.stream(PlatformKind.values()).filter(p::runsOn).map(PlatformKind::cliName)
                .collect(Collectors.toList()));
        m.put("queueSettings", p.takesQueueSettings());
        m.put("description", p.description());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<String> platforms(Map<String, Object> row) {
        return (List<String>) row.get("platforms");
    }
}
