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
 * The depot between two CPUs ({@link IovaRcache}): CPU 0, both magazines full, frees a pfn and
 * so pushes a full magazine to the depot, while CPU 1, both magazines empty, allocates and so
 * takes a magazine from the depot if one is there, else allocates from the tree. Every cached pfn
 * must end up exactly once: in a magazine, in the depot, or with CPU 1.
 */
@JCStressTest
@Description("iova rcache depot: a push on one CPU against a pop on another loses or duplicates no pfn")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the depot was still empty: CPU 1 allocated from the tree")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "CPU 1 loaded the magazine CPU 0 had just pushed")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "a pfn was lost or duplicated")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class DepotStress {

    private static final long NEW_PFN = 5000;

    private final UntimedEngine engine = new UntimedEngine(2);
    private final IovaDomain iovad = RcacheStressSupport.domain(engine);
    private final Set<Long> pfns = RcacheStressSupport.fillBothMagazines(iovad, engine.cpu(0));
    private long got;

    @Actor
    public void freeOnCpu0() {
        iovad.freeIovaFast(engine.cpu(0), NEW_PFN, 1);
    }

    @Actor
    public void allocOnCpu1() {
        got = iovad.allocIovaFast(engine.cpu(1), 1, RcacheStressSupport.LIMIT_PFN, false);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        pfns.add(NEW_PFN);
        boolean fromDepot = pfns.remove(got);
        r.r1 = fromDepot ? 1 : 0;
        boolean fromTree = !fromDepot && got > NEW_PFN;
        r.r2 = (fromDepot || fromTree) && RcacheStressSupport.holdsExactly(iovad, engine, pfns) ? 1 : 0;
    }
}
