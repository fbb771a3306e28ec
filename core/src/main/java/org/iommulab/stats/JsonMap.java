package org.iommulab.stats;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the insertion-ordered maps the stats records turn into, so JSON keys keep their order: by
 * hand where a key is computed, else from a record's components ({@link #of}).
 */
final class JsonMap {

    /**
     * A record as its components in declaration order, named as declared; a map component with its
     * keys sorted. The record's shape is the output's shape, so a new component needs no code here.
     */
    static Map<String, Object> of(Record record) {
        Map<String, Object> map = new LinkedHashMap<>();
        try {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                Object value = c.getAccessor().invoke(record);
                map.put(c.getName(), value instanceof Map<?, ?> m ? new TreeMap<>(m) : value);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + record.getClass().getSimpleName(), e);
        }
        return map;
    }


    private final Map<String, Object> map = new LinkedHashMap<>();

    JsonMap put(String key, Object value) {
        map.put(key, value);
        return this;
    }

    Map<String, Object> map() {
        return map;
    }
}
