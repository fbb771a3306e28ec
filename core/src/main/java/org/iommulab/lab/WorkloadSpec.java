package org.iommulab.lab;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.iommulab.workload.Fio;
import org.iommulab.workload.FioOptions;
import org.iommulab.workload.MapBench;
import org.iommulab.workload.MapBenchOptions;
import org.iommulab.workload.Netperf;
import org.iommulab.workload.NetperfOptions;
import org.iommulab.workload.ReplayOptions;
import org.iommulab.workload.TraceReplay;
import org.iommulab.workload.Workload;

/** Which workload a scenario runs, with its options. */
public sealed interface WorkloadSpec {

    /** A fresh workload for one run, its random streams seeded with {@code seed}. */
    Workload create(long seed);

    /** The options, for the run's recorded configuration. */
    Record options();

    /** The workload's command-line name. */
    String name();

    /** How many I/Os it can have in flight on {@code cpus} CPUs at most, and their size. */
    InFlight inFlight(int cpus);

    /**
     * The most I/Os a workload keeps in flight, of how many pages each, and which options set that
     * (for a message telling a user what to reduce).
     */
    record InFlight(long ios, long pagesEach, String setBy) {}

    /** The name of the device the workload drives, as Linux would name it. */
    String deviceName();

    /**
     * Whether the workload's device moves data, and so can end a transfer with an error
     * ({@code --fault device-error}); a map benchmark and a trace replay only map and unmap.
     */
    default boolean deviceTransfers() {
        return true;
    }

    /** Pages a buffer of {@code bytes} spans at most. */
    private static long pages(long bytes) {
        return (bytes + 4095) / 4096 + 1;
    }

    /** The options as an ordered map of their record components; nested records become nested maps. */
    default Map<String, Object> describe() {
        return describe(options());
    }

    private static Map<String, Object> describe(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                out.put(c.getName(), v instanceof Record nested ? describe(nested)
                        : v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        : v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read option " + c.getName(), e);
            }
        }
        return out;
    }

    /** fio-like NVMe block I/O. */
    record FioSpec(FioOptions options) implements WorkloadSpec {
        @Override
        public Workload create(long seed) {
            return new Fio(options.withSeed(seed));
        }

        @Override
        public String name() {
            return "fio";
        }

        @Override
        public InFlight inFlight(int cpus) {
            long jobs = options.numjobs() == 0 ? cpus : options.numjobs();
            return new InFlight(jobs * options.iodepth(), pages(options.bs()),
                    "--numjobs " + jobs + " x --iodepth " + options.iodepth() + " of --bs " + options.bs());
        }

        @Override
        public String deviceName() {
            return "nvme0";
        }
    }

    /** netperf-like NIC streaming. */
    record NetperfSpec(NetperfOptions options) implements WorkloadSpec {
        @Override
        public Workload create(long seed) {
            return new Netperf(options.withSeed(seed));
        }

        @Override
        public String name() {
            return "netperf";
        }

        @Override
        public InFlight inFlight(int cpus) {
            long queues = options.queues() == 0 ? cpus : options.queues();
            return new InFlight(queues * ((long) options.rxRingSize() + options.txDepth()),
                    Math.max(pages(options.mtu()), options.txFragments()),
                    "--queues " + queues + " x (ring " + options.rxRingSize() + " + tx depth " + options.txDepth() + ")");
        }

        @Override
        public String deviceName() {
            return "eth0";
        }
    }

    /** The kernel's dma_map_benchmark loop. */
    record MapBenchSpec(MapBenchOptions options) implements WorkloadSpec {
        @Override
        public Workload create(long seed) {
            return new MapBench(options.withSeed(seed));
        }

        @Override
        public boolean deviceTransfers() {
            return false;
        }

        @Override
        public String name() {
            return "mapbench";
        }

        @Override
        public InFlight inFlight(int cpus) {
            return new InFlight(options.threads(), options.granule(),
                    "--threads " + options.threads() + " of --granule " + options.granule());
        }

        @Override
        public String deviceName() {
            return "pci0";
        }
    }

    /** A capture's DMA of one device, replayed ({@code iommu-lab replay}). */
    record ReplaySpec(ReplayOptions options) implements WorkloadSpec {
        @Override
        public Workload create(long seed) {
            return new TraceReplay(options);
        }

        @Override
        public boolean deviceTransfers() {
            return false;
        }

        @Override
        public String name() {
            return "replay";
        }

        /** Unknown before the capture is read: the most a capture of a busy device plausibly holds. */
        @Override
        public InFlight inFlight(int cpus) {
            return new InFlight(65_536, 16, "the capture's live mappings");
        }

        @Override
        public String deviceName() {
            return options.device();
        }
    }
}
