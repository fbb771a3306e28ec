package org.iommulab.iova;

import org.iommulab.sim.CachelineAligned;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.KTimer;
import org.iommulab.sim.SpinLock;

/**
 * {@code struct iova_rcache} (drivers/iommu/iova.c, v6.7): the range cache of one size class.
 * Each CPU has a {@code loaded} and a {@code prev} magazine under its own lock; full magazines
 * overflow into the depot, an unbounded list under the class lock, which a delayed work trims
 * by one magazine per {@value #IOVA_DEPOT_DELAY_NS} ns while it holds more magazines than there
 * are CPUs.
 *
 * <p>Any thread may use any CPU's cache (the per-CPU lock makes that safe, as after a migration
 * between {@code raw_cpu_ptr} and the lock in the kernel). Lock order: CPU lock, then depot lock,
 * then the domain's tree lock. Magazine allocation cannot fail here, so inserting never fails.
 */
final class IovaRcache {

    /** {@code IOVA_DEPOT_DELAY}: 100 ms between two depot trims. */
    static final long IOVA_DEPOT_DELAY_NS = 100_000_000L;

    private final IovaDomain iovad;
    private final int numOnlineCpus;
    private final SpinLock lock;
    private final CpuRcache[] cpuRcaches;
    private final KTimer work;
    /** The most recently pushed full magazine; older ones follow through {@code next}. */
    private IovaMagazine depot;
    private int depotSize;

    /**
     * The lock and magazines of a {@link CpuRcache}, which its CPU uses on every allocation and
     * free, alone on their cache lines.
     */
    private abstract static class CpuRcacheFields extends CachelineAligned {
        final SpinLock lock;
        IovaMagazine loaded = new IovaMagazine();
        IovaMagazine prev = new IovaMagazine();
        /**
         * The empty magazine a depot load replaced, kept for the CPU's next depot push: the kernel
         * frees one and allocates the other, which its slab serves from the same per-CPU cache;
         * here it saves zeroing a 1 KiB magazine on every flush of a full queue.
         */
        IovaMagazine spare;

        CpuRcacheFields(SpinLock lock) {
            this.lock = lock;
        }
    }

    /** {@code struct iova_cpu_rcache}. */
    private static final class CpuRcache extends CpuRcacheFields {
        /** Trailing padding: see {@link CachelineAligned}. */
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

        CpuRcache(SpinLock lock) {
            super(lock);
        }

        void swap() {
            IovaMagazine t = loaded;
            loaded = prev;
            prev = t;
        }
    }

    IovaRcache(IovaDomain iovad, Engine engine, int order) {
        this.iovad = iovad;
        this.numOnlineCpus = engine.nrCpus();
        this.lock = engine.newSpinLock("iova_rcache[" + order + "].lock");
        this.cpuRcaches = new CpuRcache[numOnlineCpus];
        for (int cpu = 0; cpu < numOnlineCpus; cpu++) {
            cpuRcaches[cpu] = new CpuRcache(engine.newSpinLock("iova_cpu_rcache[" + order + "][" + cpu + "].lock"));
        }
        this.work = engine.newTimer("iova_rcache[" + order + "].work", this::depotWork);
    }

    /** {@code __iova_rcache_insert}: caches {@code pfn} on {@code cpu}'s magazines. */
    void insert(Cpu cpu, long pfn) {
        CpuRcache c = cpuRcaches[cpu.id()];
        cpu.spend(Cost.IOVA_RCACHE_OP);
        IovaDomain.acquire(c.lock, cpu);
        if (c.loaded.full()) {
            if (!c.prev.full()) {
                c.swap();
            } else {
                IovaDomain.acquire(lock, cpu);
                depotPush(c.loaded);
                lock.unlock(cpu);
                work.schedule(cpu, IOVA_DEPOT_DELAY_NS);
                c.loaded = c.spare != null ? c.spare : new IovaMagazine();
                c.spare = null;
            }
        }
        c.loaded.push(pfn);
        c.lock.unlock(cpu);
    }

    /**
     * {@code __iova_rcache_get}: a cached pfn at most {@code limitPfn} (unsigned), or 0. Whatever
     * magazine swap or depot load it made stays made even when no pfn qualifies.
     */
    long get(Cpu cpu, long limitPfn) {
        CpuRcache c = cpuRcaches[cpu.id()];
        cpu.spend(Cost.IOVA_RCACHE_OP);
        IovaDomain.acquire(c.lock, cpu);
        boolean hasPfn = false;
        if (!c.loaded.empty()) {
            hasPfn = true;
        } else if (!c.prev.empty()) {
            c.swap();
            hasPfn = true;
        } else {
            IovaDomain.acquire(lock, cpu);
            if (depot != null) {
                c.spare = c.loaded;
                c.loaded = depotPop();
                hasPfn = true;
            }
            lock.unlock(cpu);
        }
        long pfn = hasPfn ? c.loaded.pop(limitPfn) : 0;
        c.lock.unlock(cpu);
        return pfn;
    }

    /** This class's part of {@code free_cpu_cached_iovas}: empties CPU {@code target}'s magazines. */
    void freeCpuCached(Cpu cpu, int target) {
        CpuRcache c = cpuRcaches[target];
        IovaDomain.acquire(c.lock, cpu);
        iovad.freeMagazinePfns(cpu, c.loaded);
        iovad.freeMagazinePfns(cpu, c.prev);
        c.lock.unlock(cpu);
    }

    /** This class's part of {@code free_global_cached_iovas}: empties the depot, newest first. */
    void freeGlobalCached(Cpu cpu) {
        IovaDomain.acquire(lock, cpu);
        while (depot != null) {
            iovad.freeMagazinePfns(cpu, depotPop());
        }
        lock.unlock(cpu);
    }

    /** {@code iova_depot_work_func}: frees one depot magazine if there are too many, and re-arms. */
    private void depotWork(Cpu cpu) {
        IovaMagazine mag = null;
        IovaDomain.acquire(lock, cpu);
        if (depotSize > numOnlineCpus) {
            mag = depotPop();
        }
        lock.unlock(cpu);
        if (mag != null) {
            iovad.freeMagazinePfns(cpu, mag);
            work.schedule(cpu, IOVA_DEPOT_DELAY_NS);
        }
    }

    /**
     * One class's part of a golden-trace trim round: if the depot work is queued, unqueue it and
     * run it now instead of at its expiry.
     *
     * @return whether it was queued (and so ran)
     */
    boolean runQueuedWork(Cpu cpu) {
        if (!work.pending()) {
            return false;
        }
        work.cancel();
        depotWork(cpu);
        return true;
    }

    /** The part of {@code free_iova_rcaches} that matters here: the trim work must not run again. */
    void cancelWork() {
        work.cancel();
    }

    private void depotPush(IovaMagazine mag) {
        mag.next = depot;
        depot = mag;
        depotSize++;
    }

    private IovaMagazine depotPop() {
        IovaMagazine mag = depot;
        depot = mag.next;
        mag.next = null;
        depotSize--;
        return mag;
    }

    // Introspection for tests and golden replays: unlocked reads, exact only when quiescent.

    int depotSize() {
        return depotSize;
    }

    int loadedSize(int cpu) {
        return cpuRcaches[cpu].loaded.size();
    }

    int prevSize(int cpu) {
        return cpuRcaches[cpu].prev.size();
    }

    /** Pfns held in every CPU's magazines and in the depot. */
    long cachedPfns() {
        long n = (long) depotSize * IovaMagazine.IOVA_MAG_SIZE;
        for (CpuRcache c : cpuRcaches) {
            n += c.loaded.size() + c.prev.size();
        }
        return n;
    }
}
