package org.iommulab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.iommulab.fault.FaultKind;
import org.iommulab.fault.Faults;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.DmaDebugOps;
import org.iommulab.kernel.MapFailure;
import org.iommulab.policy.DmaSetup;
import org.iommulab.report.Units;
import org.iommulab.sim.CostModel;
import org.iommulab.stats.IoCounts;

/**
 * The one-line warnings of a run, derived from its own counters: I/Os that failed and why, a run
 * in which nothing completed, maps that failed and were retried. A run that failed must say so; a
 * throughput of 0 next to a busy CPU explains nothing.
 */
public final class RunWarnings {

    private RunWarnings() {}

    static List<String> of(Scenario s, Machine m, IoCounts io, CostModel costs) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(s.costOverrides()).forEach((key, ns) -> {
            if (!costs.wasRead(CostModel.byKey(key))) {
                out.add("--set " + key + "=" + ns + " changed nothing: this run ("
                        + s.platform().cliName() + ", " + s.dma().resolve(s.platform()).name() + ", "
                        + s.workload().name() + ", " + s.durationMs() + " ms) never charged " + key);
            }
        });
        if (s.dmaSetup() instanceof DmaSetup.Direct && s.platform().s390()) {
            out.add("--dma direct on " + s.platform().cliName() + " is a what-if: s390 always translates DMA, so no"
                    + " Linux guest runs without an IOMMU there");
        }
        String why = causes(m) + failures(io);
        if (!s.faults().equals(Faults.NONE)) {
            StringJoiner injected = new StringJoiner(", ");
            m.faults().injected().forEach((kind, n) -> {
                if (s.faults().has(FaultKind.byCliName(kind))) {
                    injected.add(kind + " " + n);
                }
            });
            out.add("--fault " + s.faults() + (injected.length() == 0 ? " in effect" : " injected: " + injected));
        }
        if (io.submitted() == 0) {
            out.add("nothing was submitted in " + s.durationMs() + " ms of virtual time");
        } else if (io.completed() == 0) {
            out.add("nothing completed: all " + io.failed() + " I/Os failed; " + why);
        } else if (io.failed() > 0) {
            out.add(String.format(Locale.ROOT, "%d of %d I/Os (%.1f%%) failed; %s", io.failed(), io.submitted(),
                    100.0 * io.failed() / io.submitted(), why));
        } else if (io.mapErrors() > 0) {
            out.add(io.mapErrors() + " DMA maps failed and were retried; " + why);
        }
        return out;
    }

    /** What DMA-API debugging found, a line for each error it kept and one for the leaks. */
    static List<String> dmaDebug(DmaDebugOps debug) {
        List<String> out = new ArrayList<>();
        debug.messages().forEach(msg -> out.add("DMA-API debug: " + msg));
        if (debug.errors() > debug.messages().size()) {
            out.add("DMA-API debug: " + (debug.errors() - debug.messages().size()) + " more errors");
        }
        if (debug.liveMappings() > 0) {
            out.add("DMA-API debug: " + debug.liveMappings() + " mappings still live after every I/O ended (leaked)");
        }
        return out;
    }

    /** The I/Os that failed for other reasons than their maps, as a clause to add to the map causes. */
    private static String failures(IoCounts io) {
        long faults = io.failedByCause().getOrDefault("translationFault", 0L);
        long device = io.failedByCause().getOrDefault("deviceError", 0L);
        return (faults == 0 ? "" : "; " + faults + " I/Os met a DMA translation fault")
                + (device == 0 ? "" : "; " + device + " I/Os ended with a device error");
    }

    /** Each cause of the run's map errors, with its count and what the machine makes of it. */
    public static String causes(Machine m) {
        Map<MapFailure, Long> byCause = m.mapErrorsByCause();
        if (byCause.isEmpty()) {
            return "no DMA map failed";
        }
        StringJoiner j = new StringJoiner("; ");
        DomainGeometry g = m.aperture();
        long mask = m.devices()[0].dmaMask();
        long bus = m.devices()[0].busDmaLimit();
        byCause.forEach((cause, n) -> j.add(n + " DMA maps failed: " + cause.explanation() + switch (cause) {
            case DMA_MASK_BELOW_APERTURE -> String.format(Locale.ROOT, " (DMA mask 0x%x%s, aperture from 0x%x)",
                    mask, bus == 0 ? "" : String.format(Locale.ROOT, ", bus limit 0x%x", bus), g.apertureStart());
            case IOVA_SPACE_EXHAUSTED -> String.format(Locale.ROOT, " (aperture 0x%x-0x%x, %s)", g.apertureStart(),
                    g.apertureEnd(), Units.bytes(g.apertureEnd() - g.apertureStart() + 1.0));
            default -> "";
        }));
        return j.toString();
    }
}
