package org.iommulab.iova;

import java.util.HashSet;
import java.util.Set;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;

/**
 * What the rcache jcstress tests share: a domain whose order-0 caches are filled with known pfns,
 * and the check that every pfn is still held exactly once.
 */
final class RcacheStressSupport {

    /** Above every pfn the tests cache, below the anchor. */
    static final long LIMIT_PFN = 1L << 20;
    /** The first pfn the tests cache; pfn 0 means "none" to {@code allocIovaFast}. */
    static final long FIRST_PFN = 1000;

    private RcacheStressSupport() {
    }

    static IovaDomain domain(Engine engine) {
        IovaDomain iovad = new IovaDomain(engine, 4096, 1);
        iovad.initRcaches();
        return iovad;
    }

    /** Fills {@code cpu}'s loaded and prev magazines: pfns {@code FIRST_PFN .. FIRST_PFN + 253}. */
    static Set<Long> fillBothMagazines(IovaDomain iovad, Cpu cpu) {
        Set<Long> pfns = new HashSet<>();
        for (long i = 0; i < 2L * IovaMagazine.IOVA_MAG_SIZE; i++) {
            long pfn = FIRST_PFN + i;
            iovad.freeIovaFast(cpu, pfn, 1);
            pfns.add(pfn);
        }
        return pfns;
    }

    /**
     * Empties every order-0 magazine and the depot through {@code allocIovaFast} on each CPU in
     * turn, and says whether what came out is exactly {@code expected}, each pfn once.
     */
    static boolean holdsExactly(IovaDomain iovad, Engine engine, Set<Long> expected) {
        Set<Long> seen = new HashSet<>();
        for (int id = 0; id < engine.nrCpus(); id++) {
            Cpu cpu = engine.cpu(id);
            while (iovad.loadedSize(id, 0) + iovad.prevSize(id, 0) > 0 || iovad.depotSize(0) > 0) {
                if (!seen.add(iovad.allocIovaFast(cpu, 1, LIMIT_PFN, false))) {
                    return false;
                }
            }
        }
        return seen.equals(expected) && iovad.cachedPfnCount() == 0;
    }
}
