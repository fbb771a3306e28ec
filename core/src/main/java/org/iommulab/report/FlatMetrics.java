package org.iommulab.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens a nested run result ({@code RunStats.toMap()}) into one level with dotted keys, in
 * order: {@code {"io": {"submitted": 3}}} becomes {@code io.submitted = 3}. A list element that is
 * a map with a {@code name} is keyed by that name, which is then left out of its leaves
 * ({@code locks.fq_lock.waitNs}); any other element by its index. The flat form feeds the table and
 * CSV renderers.
 */
public final class FlatMetrics {

    private static final String NAME = "name";

    private FlatMetrics() {}

    /** The leaves of {@code nested} under dotted keys, in the nested order. */
    public static Map<String, Object> flatten(Map<String, ?> nested) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "", nested);
        return out;
    }

    private static void put(Map<String, Object> out, String prefix, Object value) {
        if (value instanceof Map<?, ?> map) {
            putEntries(out, prefix, map, false);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                Object name = element instanceof Map<?, ?> m ? m.get(NAME) : null;
                if (name != null) {
                    putEntries(out, prefix + name + ".", (Map<?, ?>) element, true);
                } else {
                    put(out, prefix + i + ".", element);
                }
            }
        } else {
            out.put(prefix.substring(0, prefix.length() - 1), value);
        }
    }

    private static void putEntries(Map<String, Object> out, String prefix, Map<?, ?> map, boolean skipName) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(skipName && NAME.equals(e.getKey()))) {
                put(out, prefix + e.getKey() + ".", e.getValue());
            }
        }
    }
}
