package org.iommulab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.iommulab.config.Reference;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the options that describe the machine and kernel, taken from the reference
 * configuration, so that {@code --help} shows and a run uses the values the model defaults to
 * everywhere else. Options that declare a default of their own keep it.
 */
final class ReferenceDefaults implements IDefaultValueProvider {

    private static final Map<String, String[]> PATHS = Map.of(
            "--cpus", new String[] {"machine", "cpus"},
            "--duration-ms", new String[] {"machine", "durationMs"},
            "--seed", new String[] {"machine", "seed"},
            "--guest-memory-gib", new String[] {"machine", "guestMemoryGiB"},
            "--functions", new String[] {"machine", "functions"},
            "--rcache-max-order", new String[] {"kernel", "rcacheMaxOrder"},
            "--opt-size-cap", new String[] {"kernel", "optSizeCap"},
            "--smmu-range-inv", new String[] {"iommus", "smmuv3", "rangeInvalidation"},
            "--ats", new String[] {"iommus", "smmuv3", "ats"});

    @Override
    public String defaultValue(ArgSpec spec) {
        if (!(spec instanceof OptionSpec option) || option.defaultValue() != null) {
            return null;
        }
        String[] path = PATHS.get(option.longestName());
        if (path == null) {
            return null;
        }
        JsonNode value = Reference.node(path);
        return value.isBoolean() ? (value.booleanValue() ? "on" : "off") : value.asText();
    }
}
