package org.iommulab.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the insertion-ordered maps the stats records turn into, so JSON keys keep their order. */
final class JsonMap {

    private final Map<String, Object> map = new LinkedHashMap<>();

    JsonMap put(String key, Object value) {
        map.put(key, value);
        return this;
    }

    Map<String, Object> map() {
        return map;
    }
}
