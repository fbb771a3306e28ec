package org.iommulab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.iommulab.dma.DmaIommuLayer;
import org.iommulab.dma.DmaIommuSnapshot;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.ideal.IdealDomain;
import org.iommulab.ideal.IdealIommu;
import org.iommulab.iommu.DomainType;
import org.iommulab.iommu.IommuBootParams;
import org.iommulab.iommu.IommuCore;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.platform.PlatformKind;
import org.iommulab.policy.DmaSetup;
import org.iommulab.policy.InvalidationPolicy;
import org.iommulab.policy.Policies;
import org.iommulab.policy.QueueSettings;
import org.iommulab.sim.manual.ManualEngine;
import org.iommulab.stats.StaleWindowTracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iommu-lab demo}: the same map/unmap loop through every registered dma-iommu policy
 * (strict, per-CPU flush queues, the single flush queue, ...) on the zero-cost ideal IOMMU, with a clock the loop moves
 * itself, and the counters of each, with how long unmapped pages stayed reachable (the stale
 * window, p99 and maximum).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Map and unmap through every registered dma-iommu policy (strict, per-CPU queues, the single"
                + " queue, ...) on an ideal IOMMU and print what each did.")
final class DemoCommand implements Callable<Integer> {

    private static final long BUFFER = 4096;
    /** A million rounds on 256 CPUs is a quarter of a billion maps per mode: minutes, not hours. */
    static final int MAX_ROUNDS = 1_000_000;
    /** One second of simulated time between rounds: every timer has long fired by the next. */
    static final long MAX_ROUND_NS = 1_000_000_000L;

    @Spec
    private CommandSpec spec;

    @Option(names = "--cpus", defaultValue = "4", paramLabel = "N", description = "CPUs mapping (default: ${DEFAULT-VALUE})")
    private int cpus;

    @Option(names = "--rounds", defaultValue = "20000", paramLabel = "N",
            description = "rounds in which every CPU maps one buffer and unmaps its previous one, 1-" + MAX_ROUNDS
                    + " (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--round-ns", defaultValue = "1000", paramLabel = "NS",
            description = "simulated time between rounds (default: ${DEFAULT-VALUE})")
    private long roundNs;

    @Override
    public Integer call() {
        if (cpus < 1 || cpus > 256) {
            throw new IllegalArgumentException("--cpus " + cpus + " is not allowed; use 1 to 256");
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("--rounds " + rounds + " is not allowed; use 1 to " + MAX_ROUNDS);
        }
        if (roundNs < 0 || roundNs > MAX_ROUND_NS) {
            throw new IllegalArgumentException("--round-ns " + roundNs + " is not allowed; use 0 to " + MAX_ROUND_NS);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%d CPUs x %d rounds, one %d-byte buffer per CPU per round, %d ns apart, ideal IOMMU%n%n",
                cpus, rounds, BUFFER, roundNs);
        out.printf("%-15s %-7s %-20s %9s %9s %9s %9s %10s %7s %9s %6s %12s %12s%n", "policy", "type", "queue", "maps",
                "unmaps", "ranged", "global", "queue-full", "timer", "freed", "peak", "stale-p99-us", "stale-max-us");
        for (InvalidationPolicy policy : Policies.concrete()) {
            if (policy.runsOn(PlatformKind.X86)
                    && policy.setup(PlatformKind.X86, QueueSettings.DEFAULTS) instanceof DmaSetup.Iommu setup) {
                run(out, policy.name(), setup);
            }
        }
        out.flush();
        return 0;
    }

    private void run(PrintWriter out, String name, DmaSetup.Iommu setup) {
        ManualEngine engine = new ManualEngine(cpus);
        StaleWindowTracker stale = new StaleWindowTracker();
        IdealIommu ideal = new IdealIommu(IdealIommu.Config.defaults(), stale);
        IommuBootParams params = IommuBootParams.defaults().withStrict(setup.strict());
        DmaIommuLayer dma = new DmaIommuLayer(engine, params, setup.options(), setup.queues());
        IommuCore core = new IommuCore(params, ideal, dma);
        Device dev = new Device("nvme0");
        dev.setDmaMaskBits(64);
        if (core.probeDevice(dev) != 0) {
            throw new IllegalStateException("the ideal IOMMU refused " + dev);
        }
        IommuDmaOps ops = dma.dmaIommu(dev);
        long[] previous = new long[cpus];
        for (int round = 0; round < rounds; round++) {
            for (int c = 0; c < cpus; c++) {
                long phys = ((long) round * cpus + c + 1) * BUFFER; // page 0 is never a DMA buffer
                long handle = ops.mapPage(engine.cpu(c), dev, phys, BUFFER, DmaDirection.FROM_DEVICE, 0);
                if (round > 0) {
                    ops.unmapPage(engine.cpu(c), dev, previous[c], BUFFER, DmaDirection.FROM_DEVICE, 0);
                }
                previous[c] = handle;
            }
            engine.advanceBy(roundNs);
        }
        // let the last flush-queue timer run, so every queued IOVA is freed
        engine.advanceBy(ops.options().fqTimeoutMs() * 1_000_000L);
        DmaIommuSnapshot n = ops.counters();
        IdealDomain pt = ideal.domains().get(0);
        String queue = ops.type() == DomainType.DMA_FQ
                ? ops.options().queueType().name().toLowerCase().replace('_', '-') + " " + ops.options().fqSize()
                        + "/" + ops.options().fqTimeoutMs() + "ms"
                : "-";
        out.printf("%-15s %-7s %-20s %9d %9d %9d %9d %10d %7d %9d %6d %12d %12d%n", name, ops.type().sysfsName(),
                queue, n.maps(), n.unmaps(), pt.iotlbSyncs(), pt.flushAlls(), n.queueFullFlushes(), n.timerFlushes(),
                n.entriesFreed(), n.peakOccupancy(), stale.windowsNs().getValueAtPercentile(99) / 1000,
                stale.maxWindowNs() / 1000);
    }
}
