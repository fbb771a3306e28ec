package org.iommulab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that change costs, shared by every command that runs the model: a profile, then --set. */
final class CostOptions {

    @Option(names = "--profile", paramLabel = "FILE",
            description = "apply the costOverrides of a run file or a calibrated profile; --set wins over it")
    private Path profile;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "override a cost (ns); see 'iommu-lab params'")
    private List<String> settings = new ArrayList<>();

    /** The overrides, checked: the profile's, then the --set ones. */
    Map<String, Long> overrides() {
        return CostOverrides.parse(profile, settings);
    }
}
