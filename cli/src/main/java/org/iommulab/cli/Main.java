package org.iommulab.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code iommu-lab} command: one subcommand per job. */
@Command(
        name = "iommu-lab",
        mixinStandardHelpOptions = true,
        version = "iommu-lab 0.1.0",
        description = "What IOMMU invalidation policies cost: strict, per-CPU flush queues, the single"
                + " flush queue and the old s390 scheme, on LPAR, z/VM, KVM, virtio-iommu and x86.",
        subcommands = {DemoCommand.class, RunCommand.class, ReproduceCommand.class, ParamsCommand.class, PoliciesCommand.class, SweepCommand.class, MergeCommand.class, RecommendCommand.class, CompareCommand.class, CalibrateCommand.class, ReplayCommand.class,
            BenchCommand.class, StressCommand.class})
public final class Main implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    private Main() {}

    /** No command given: the list of commands. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // no @FILE argument files: an unreadable one would fail before the handlers below
        cl.setExpandAtFiles(false);
        cl.setDefaultValueProvider(new ReferenceDefaults());
        cl.setParameterExceptionHandler(Main::badUsage);
        cl.setExecutionExceptionHandler(Main::failure);
        return cl;
    }

    /**
     * A parser for one command run inside another (a run file, a sweep point, a measurement):
     * enum values in any case, defaults from the reference configuration, as on the command line.
     */
    static CommandLine parser(Object command) {
        return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(new ReferenceDefaults());
    }

    /** Bad flags or values: one line naming them, exit 2, no stack trace. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("iommu-lab: " + oneLine(e.getMessage()));
        err.flush();
        return 2;
    }

    /** A user error found while running (bad config, bad trace) is one line; anything else is a bug. */
    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException) {
            cl.getErr().println("iommu-lab: " + oneLine(e.getMessage()));
            cl.getErr().flush();
            return 2;
        }
        throw e;
    }

    /** The longest error line printed: a value a hostile file or flag repeats is cut, not echoed whole. */
    static final int MAX_ERROR_CHARS = 1000;

    /**
     * {@code message} as one line of at most {@link #MAX_ERROR_CHARS} characters: control
     * characters (a line break, a terminal escape from a file) become spaces, and the rest of an
     * over-long message is counted instead of shown.
     */
    static String oneLine(String message) {
        String line = String.valueOf(message).replaceAll("\\p{Cntrl}", " ");
        return line.length() <= MAX_ERROR_CHARS ? line
                : line.substring(0, MAX_ERROR_CHARS) + "... (" + (line.length() - MAX_ERROR_CHARS) + " more characters)";
    }
}
