package org.iommulab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iommulab.sim.CostModel;

/** Parses {@code --set name=value} cost overrides, naming the bad one on error. */
final class CostOverrides {

    private CostOverrides() {}

    /** A profile's costs (a run file's {@code costOverrides}, or none), then {@code settings}, which win. */
    static Map<String, Long> parse(Path profile, List<String> settings) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (profile != null) {
            out.putAll(parse(RunFile.read(profile).costSettings()));
        }
        out.putAll(parse(settings));
        return out;
    }

    static Map<String, Long> parse(List<String> settings) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("--set " + s + ": expected name=value, e.g. --set kvm.rpcitExitNs=8000");
            }
            String key = s.substring(0, eq);
            CostModel.byKey(key);
            long value;
            try {
                value = Long.parseLong(s.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--set " + s + ": value '" + s.substring(eq + 1)
                        + "' is not a whole number of ns");
            }
            out.put(key, value);
        }
        return out;
    }
}
