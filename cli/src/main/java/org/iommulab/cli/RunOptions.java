package org.iommulab.cli;

import java.util.ArrayList;
import java.util.List;
import org.iommulab.lab.Scenario;
import picocli.CommandLine.Option;

/** How long and how often to simulate, shared by {@code run} and {@code reproduce}. */
final class RunOptions {

    /** More seeds than this narrow an interval by little and take long. */
    static final int MAX_REPEAT = 1000;

    @Option(names = "--cpus", paramLabel = "N",
            description = "simulated CPUs, 1-" + Scenario.MAX_CPUS + " (default: ${DEFAULT-VALUE})")
    int cpus;

    @Option(names = "--duration-ms", paramLabel = "N",
            description = "virtual time to submit I/O for (default: ${DEFAULT-VALUE})")
    long durationMs;

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "run N times with seeds seed..seed+N-1 and report each headline metric's mean and 95%%"
                    + " interval, 1-" + MAX_REPEAT + " (default: ${DEFAULT-VALUE})")
    int repeat;

    /** {@code scenario} under each of the seeds asked for, in order. */
    List<Scenario> seeds(Scenario scenario) {
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new IllegalArgumentException("--repeat " + repeat + " is not within 1-" + MAX_REPEAT);
        }
        List<Scenario> out = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            out.add(scenario.withSeed(seed + i));
        }
        return out;
    }
}
