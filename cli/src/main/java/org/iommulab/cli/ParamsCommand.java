package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.iommulab.sim.Cost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code iommu-lab params}: every cost parameter with its unit, default and source. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "List every cost parameter with its unit, default and source.")
final class ParamsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = 0;
        for (Cost c : Cost.values()) {
            width = Math.max(width, c.key().length());
        }
        out.printf("%-" + width + "s  %8s  %-4s  %-10s  %s%n", "parameter", "default", "unit", "category", "source");
        for (Cost c : Cost.values()) {
            out.printf("%-" + width + "s  %8d  %-4s  %-10s  %s%n",
                    c.key(), c.defaultNs(), c.unit(), c.category().name().toLowerCase(), c.source());
        }
        out.flush();
        return 0;
    }
}
