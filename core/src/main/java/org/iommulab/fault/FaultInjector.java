package org.iommulab.fault;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run's injected failures: a {@link FaultAttr} for each random kind of {@link Faults}, each
 * seeded from the run's seed and its kind, so that adding one kind does not move where another
 * fails. The layers that can fail are handed their kind's attribute when the machine is built.
 */
public final class FaultInjector {

    /** Injects nothing. */
    public static final FaultInjector NONE = new FaultInjector(Faults.NONE, 0);

    private final Faults faults;
    private final Map<FaultKind, FaultAttr> attrs = new EnumMap<>(FaultKind.class);

    public FaultInjector(Faults faults, long seed) {
        this.faults = faults;
        for (FaultKind k : FaultKind.values()) {
            if (k.random()) {
                double p = faults.value(k).doubleValue();
                attrs.put(k, p == 0 ? FaultAttr.NEVER : new FaultAttr(p, seed * 31 + k.ordinal() + 1));
            }
        }
    }

    public Faults faults() {
        return faults;
    }

    /** The attribute of a random {@code kind}. */
    public FaultAttr attr(FaultKind kind) {
        FaultAttr a = attrs.get(kind);
        if (a == null) {
            throw new IllegalArgumentException(kind.cliName() + " is a limit, not a failure drawn per call");
        }
        return a;
    }

    /** Failures injected so far by each random kind, every one present, by its {@code --fault} name. */
    public Map<String, Long> injected() {
        Map<String, Long> out = new LinkedHashMap<>();
        attrs.forEach((k, a) -> out.put(k.cliName(), a.injected()));
        return out;
    }
}
