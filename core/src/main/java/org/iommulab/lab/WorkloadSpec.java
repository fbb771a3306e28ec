package org.iommulab.lab;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.iommulab.workload.Fio;
import org.iommulab.workload.FioOptions;
import org.iommulab.workload.MapBench;
import org.iommulab.workload.MapBenchOptions;
import org.iommulab.workload.Netperf;
import org.iommulab.workload.NetperfOptions;
import org.iommulab.workload.Workload;

/** Which workload a scenario runs, with its options. */
public sealed interface WorkloadSpec {

    /** A fresh workload for one run, its random streams seeded with {@code seed}. */
    Workload create(long seed);

    /** The options, for the run's recorded configuration. */
    Record options();

    /** The workload's command-line name. */
    String name();

    /** The options as an ordered map of their record components. */
    default Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        Record r = options();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                out.put(c.getName(), v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
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
    }

    /** The kernel's dma_map_benchmark loop. */
    record MapBenchSpec(MapBenchOptions options) implements WorkloadSpec {
        @Override
        public Workload create(long seed) {
            return new MapBench(options.withSeed(seed));
        }

        @Override
        public String name() {
            return "mapbench";
        }
    }
}
