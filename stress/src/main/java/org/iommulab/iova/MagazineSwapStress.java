package org.iommulab.iova;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.Set;
import org.iommulab.sim.threads.UntimedEngine;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two threads on the same CPU's range cache ({@link IovaRcache}, as after a migration between
 * {@code raw_cpu_ptr} and the lock in the kernel): with both magazines full, a free pushes the
 * loaded magazine to the depot and starts a new one while an allocation pops. Every pfn must
 * end up exactly once: in a magazine, in the depot, or with the allocating thread.
 */
@JCStressTest
@Description("iova rcache: magazine swap and depot push against a get on the same CPU lose or duplicate no pfn")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "get ran first and took a pfn from the full loaded magazine")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "insert pushed the full magazine to the depot first; get took the new pfn")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "a pfn was lost or duplicated")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class MagazineSwapStress {

    private static final long NEW_PFN = 5000;

    private final UntimedEngine engine = new UntimedEngine(1);
    private final IovaDomain iovad = RcacheStressSupport.domain(engine);
    private final Set<Long> pfns = RcacheStressSupport.fillBothMagazines(iovad, engine.cpu(0));
    private long got;

    @Actor
    public void free() {
        iovad.freeIovaFast(engine.cpu(0), NEW_PFN, 1);
    }

    @Actor
    public void alloc() {
        got = iovad.allocIovaFast(engine.cpu(0), 1, RcacheStressSupport.LIMIT_PFN, false);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = got == NEW_PFN ? 1 : 0;
        pfns.add(NEW_PFN);
        boolean known = pfns.remove(got);
        r.r2 = known && RcacheStressSupport.holdsExactly(iovad, engine, pfns) ? 1 : 0;
    }
}
