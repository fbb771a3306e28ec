package org.iommulab.iova;

import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Engine;
import org.iommulab.sim.SpinLock;

/**
 * {@code struct iova_domain} and its operations, drivers/iommu/iova.c as of Linux v6.7 (unchanged
 * in algorithm through v6.17): a red-black tree of allocated ranges searched top-down from a cached
 * node, with the {@code max32_alloc_size} fast-fail, the {@code iova_find_limit} second pass, and
 * per-CPU range caches ({@link IovaRcache}) with an unbounded, delayed-work-trimmed depot.
 *
 * <p>Deliberate differences from the kernel:
 * <ul>
 *   <li>The anchor node sits at {@link #IOVA_ANCHOR} = {@code Long.MAX_VALUE} instead of
 *       {@code ~0UL}, so that pfns compare as signed Java longs; pfns and limits must be below it.
 *   <li>Allocating an {@code Iova} or a magazine cannot fail, so the {@code -ENOMEM} paths of
 *       {@code alloc_iova}, the rcache insert and {@code iova_domain_init_rcaches} do not exist.
 *   <li>There is no CPU hotplug: caches are emptied only by the flush in {@link #allocIovaFast}.
 *   <li>Sizes below 1 and negative limits are rejected with {@link IllegalArgumentException}
 *       rather than left undefined.
 * </ul>
 *
 * <p>Locking is the kernel's: the tree under {@code iova_rbtree_lock}, each CPU's cache under its
 * own lock, each depot under its class lock. Every lock taken spends {@link Cost#SPIN_LOCK}, every
 * tree node a search or insertion visits spends {@link Cost#IOVA_RBTREE_NODE} and every rcache get
 * or insert {@link Cost#IOVA_RCACHE_OP}, on the calling CPU while the work's lock is held.
 */
public final class IovaDomain {

    /** The anchor node's pfn: above every allocatable pfn (the kernel uses {@code ~0UL}). */
    public static final long IOVA_ANCHOR = Long.MAX_VALUE;
    /** {@code IOVA_RANGE_CACHE_MAX_SIZE}: cached size classes are orders 0..5, 1 to 32 granules. */
    static final int IOVA_RANGE_CACHE_MAX_SIZE = 6;
    private static final long PAGE_SIZE = 4096;

    private final Engine engine;
    private final SpinLock iovaRbtreeLock;
    private final IovaRbTree rbroot = new IovaRbTree();
    private final Iova anchor = new Iova(IOVA_ANCHOR, IOVA_ANCHOR);
    private final long granule;
    private final int shift;
    private final long startPfn;
    private final long dma32bitPfn;
    private Iova cachedNode;
    private Iova cached32Node;
    private long max32AllocSize;
    private long nodeCount;
    private IovaRcache[] rcaches;

    /**
     * {@code init_iova_domain}.
     *
     * @param granule the smallest IOMMU page size, a power of 2 no larger than the 4 KiB page
     * @param startPfn the lowest pfn ever allocated, {@code >= 0}
     * @throws IllegalArgumentException when granule or startPfn is out of range
     */
    public IovaDomain(Engine engine, long granule, long startPfn) {
        if (granule > PAGE_SIZE || granule <= 0 || Long.bitCount(granule) != 1) {
            throw new IllegalArgumentException(
                    "IOVA granule " + granule + " must be a power of 2 no larger than " + PAGE_SIZE);
        }
        if (startPfn < 0 || startPfn >= IOVA_ANCHOR) {
            throw new IllegalArgumentException("start pfn " + startPfn + " must be >= 0 and below the anchor");
        }
        this.engine = engine;
        this.iovaRbtreeLock = engine.newSpinLock("iova_rbtree_lock");
        this.granule = granule;
        this.shift = Long.numberOfTrailingZeros(granule);
        this.startPfn = startPfn;
        this.dma32bitPfn = 1L << (32 - shift);
        this.max32AllocSize = dma32bitPfn;
        rbroot.link(anchor, null, false);
        this.cachedNode = anchor;
        this.cached32Node = anchor;
    }

    // ---- iova.h inline helpers ----

    /** {@code iova_shift}: log2 of the granule. */
    public int iovaShift() {
        return shift;
    }

    public long granule() {
        return granule;
    }

    public long startPfn() {
        return startPfn;
    }

    /** {@code iova_offset}: the offset of {@code addr} within its granule. */
    public long iovaOffset(long addr) {
        return addr & (granule - 1);
    }

    /** {@code iova_align}: {@code size} rounded up to whole granules. */
    public long iovaAlign(long size) {
        return (size + granule - 1) & -granule;
    }

    /** {@code iova_dma}: the bus address where {@code iova} starts. */
    public long iovaDma(Iova iova) {
        return iova.pfnLo << shift;
    }

    /** {@code iova_pfn}: the granule number of bus address {@code addr}. */
    public long iovaPfn(long addr) {
        return addr >>> shift;
    }

    /**
     * {@code iova_rcache_range}: the largest mapping the rcaches serve, 4 KiB pages x 2^5 = 128 KiB
     * with Linux's {@code IOVA_RANGE_CACHE_MAX_SIZE}.
     */
    public long iovaRcacheRange() {
        return PAGE_SIZE << (rcachesOrFail().length - 1);
    }

    // ---- the tree allocator ----

    /**
     * {@code alloc_iova}: the highest free range of {@code size} granules ending at or below
     * {@code limitPfn} (inclusive), naturally aligned to the next power of 2 above {@code size - 1}
     * when {@code sizeAligned}.
     *
     * @return the new range, or null when none fits
     */
    public Iova allocIova(Cpu cpu, long size, long limitPfn, boolean sizeAligned) {
        checkRequest(size, limitPfn);
        Iova iova = new Iova(0, 0);
        return allocAndInsertIovaRange(cpu, size, limitPfn + 1, iova, sizeAligned) ? iova : null;
    }

    private static void checkRequest(long size, long limitPfn) {
        if (size < 1) {
            throw new IllegalArgumentException("IOVA size " + size + " must be at least 1 granule");
        }
        if (limitPfn < 0 || limitPfn >= IOVA_ANCHOR) {
            throw new IllegalArgumentException("IOVA limit pfn " + limitPfn + " must be >= 0 and below the anchor");
        }
    }

    /**
     * {@code __alloc_and_insert_iova_range}, {@code limitPfn} exclusive. Walks down from the cached
     * node; if that fails with the cached node below the limit, retries once from
     * {@link #iovaFindLimit} with the floor raised above the cached node; if that fails too,
     * records {@code max32_alloc_size = size}.
     */
    private boolean allocAndInsertIovaRange(Cpu cpu, long size, long limitPfn, Iova iova, boolean sizeAligned) {
        long alignMask = sizeAligned ? -1L << (64 - Long.numberOfLeadingZeros(size - 1)) : -1L;
        long highPfn = limitPfn;
        long lowPfn = startPfn;
        long visited = 0;
        acquire(iovaRbtreeLock, cpu);
        try {
            if (limitPfn <= dma32bitPfn && size >= max32AllocSize) {
                return false;
            }
            Iova curr = limitPfn <= dma32bitPfn ? cached32Node : cachedNode;
            long retryPfn = curr.pfnHi;
            boolean retried = false;
            while (true) {
                Iova prev;
                long newPfn;
                // Candidate ranges are below each node in turn; a negative newPfn (the kernel's
                // unsigned wrap) always fails the floor test, so both exit at the same node.
                do {
                    visited++;
                    highPfn = Math.min(highPfn, curr.pfnLo);
                    newPfn = (highPfn - size) & alignMask;
                    prev = curr;
                    curr = IovaRbTree.prev(curr);
                } while (curr != null && newPfn <= curr.pfnHi && newPfn >= lowPfn);

                if (highPfn >= size && newPfn >= lowPfn) {
                    iova.pfnLo = newPfn;
                    iova.pfnHi = newPfn + size - 1;
                    insertRbtree(cpu, iova, prev);
                    if (iova.pfnHi < dma32bitPfn) {
                        cached32Node = iova;
                    } else {
                        cachedNode = iova;
                    }
                    return true;
                }
                // The kernel keys the retry on the floor still being start_pfn. A flag says the same
                // whenever the cached node ends at or above start_pfn, and cannot retry twice otherwise.
                if (retried || retryPfn >= limitPfn) {
                    max32AllocSize = size;
                    return false;
                }
                retried = true;
                highPfn = limitPfn;
                lowPfn = retryPfn + 1;
                curr = iovaFindLimit(cpu, limitPfn);
            }
        } finally {
            cpu.spend(Cost.IOVA_RBTREE_NODE, visited);
            iovaRbtreeLock.unlock(cpu);
        }
    }

    /**
     * {@code iova_find_limit}: where the second pass starts, the lowest node that starts at or
     * above {@code limitPfn} as a crude descent finds it (it may return a node straddling the
     * limit, which gives the same placement). Above 4 GiB it simply returns the anchor.
     */
    private Iova iovaFindLimit(Cpu cpu, long limitPfn) {
        if (limitPfn > dma32bitPfn) {
            return anchor;
        }
        Iova node = rbroot.root();
        long visited = 1;
        while (node.pfnHi < limitPfn) {
            visited++;
            node = node.right;
        }
        boolean moved = true;
        while (moved) {
            while (node.left != null && node.left.pfnLo >= limitPfn) {
                visited++;
                node = node.left;
            }
            moved = false;
            for (Iova next = node.left; next != null && next.right != null && !moved; ) {
                visited++;
                next = next.right;
                if (next.pfnLo >= limitPfn) {
                    node = next;
                    moved = true;
                }
            }
        }
        cpu.spend(Cost.IOVA_RBTREE_NODE, visited);
        return node;
    }

    /**
     * {@code iova_insert_rbtree}: links {@code iova} by descending from {@code start} (a node the
     * new range is known to lie directly below) or from the root. Caller holds the tree lock.
     */
    private void insertRbtree(Cpu cpu, Iova iova, Iova start) {
        Iova parent = null;
        Iova node = start != null ? start : rbroot.root();
        boolean left = false;
        long visited = 0;
        while (node != null) {
            visited++;
            parent = node;
            if (iova.pfnLo < node.pfnLo) {
                node = node.left;
                left = true;
            } else if (iova.pfnLo > node.pfnLo) {
                node = node.right;
                left = false;
            } else {
                throw new IllegalStateException("IOVA tree already holds a node at pfn " + iova.pfnLo);
            }
        }
        cpu.spend(Cost.IOVA_RBTREE_NODE, visited);
        rbroot.link(iova, parent, left);
        nodeCount++;
    }

    /** {@code find_iova}: the range containing {@code pfn}, or null. */
    public Iova findIova(Cpu cpu, long pfn) {
        acquire(iovaRbtreeLock, cpu);
        Iova iova = privateFindIova(cpu, pfn);
        iovaRbtreeLock.unlock(cpu);
        return iova;
    }

    /** {@code private_find_iova}; caller holds the tree lock. */
    private Iova privateFindIova(Cpu cpu, long pfn) {
        Iova node = rbroot.root();
        long visited = 0;
        while (node != null) {
            visited++;
            if (pfn < node.pfnLo) {
                node = node.left;
            } else if (pfn > node.pfnHi) {
                node = node.right;
            } else {
                break;
            }
        }
        cpu.spend(Cost.IOVA_RBTREE_NODE, visited);
        return node;
    }

    /** {@code free_iova}: frees the range containing {@code pfn}, if any. */
    public void freeIova(Cpu cpu, long pfn) {
        acquire(iovaRbtreeLock, cpu);
        Iova iova = privateFindIova(cpu, pfn);
        if (iova != null) {
            removeIova(iova);
        }
        iovaRbtreeLock.unlock(cpu);
    }

    /** {@code __free_iova}: frees a range this domain allocated or reserved. */
    public void freeIovaNode(Cpu cpu, Iova iova) {
        acquire(iovaRbtreeLock, cpu);
        removeIova(iova);
        iovaRbtreeLock.unlock(cpu);
    }

    /** {@code remove_iova} with {@code __cached_rbnode_delete_update}; caller holds the tree lock. */
    private void removeIova(Iova free) {
        if (free == cached32Node || (free.pfnHi < dma32bitPfn && free.pfnLo >= cached32Node.pfnLo)) {
            cached32Node = IovaRbTree.next(free);
        }
        if (free.pfnLo < dma32bitPfn) {
            max32AllocSize = dma32bitPfn;
        }
        if (free.pfnLo >= cachedNode.pfnLo) {
            cachedNode = IovaRbTree.next(free);
        }
        rbroot.erase(free);
        nodeCount--;
    }

    /**
     * {@code reserve_iova}: marks {@code [pfnLo, pfnHi]} as used. Walks every node in order; a
     * node overlapping the request is widened down to the request's start, and the request is
     * trimmed to what lies above that node. Returns the node that then covers the rest, or a new
     * node for it. Never moves the cached nodes.
     *
     * @return the covering node, or null (the kernel's WARN) when a pfn is beyond the address space
     */
    public Iova reserveIova(Cpu cpu, long pfnLo, long pfnHi) {
        long maxPfn = Math.min(-1L >>> shift, IOVA_ANCHOR - 1);
        if (pfnLo < 0 || pfnHi < 0 || pfnLo > maxPfn || pfnHi > maxPfn) {
            return null;
        }
        long lo = pfnLo;
        boolean overlap = false;
        long visited = 0;
        acquire(iovaRbtreeLock, cpu);
        try {
            for (Iova node = rbroot.first(); node != null; node = IovaRbTree.next(node)) {
                visited++;
                if (lo <= node.pfnHi && pfnHi >= node.pfnLo) {
                    if (lo < node.pfnLo) {
                        node.pfnLo = lo;
                    }
                    if (pfnHi > node.pfnHi) {
                        lo = node.pfnHi + 1;
                    }
                    if (lo >= node.pfnLo && pfnHi <= node.pfnHi) {
                        return node;
                    }
                    overlap = true;
                } else if (overlap) {
                    break;
                }
            }
            Iova iova = new Iova(lo, pfnHi);
            insertRbtree(cpu, iova, null);
            return iova;
        } finally {
            cpu.spend(Cost.IOVA_RBTREE_NODE, visited);
            iovaRbtreeLock.unlock(cpu);
        }
    }

    // ---- the range caches ----

    /**
     * {@code iova_domain_init_rcaches}: {@value #IOVA_RANGE_CACHE_MAX_SIZE} size classes, each with
     * an empty loaded and prev magazine per engine CPU, an empty depot and an unqueued trim work.
     */
    public void initRcaches() {
        initRcaches(IOVA_RANGE_CACHE_MAX_SIZE);
    }

    /** The rcaches with {@code maxOrder} size classes instead of Linux's {@value #IOVA_RANGE_CACHE_MAX_SIZE}. */
    public void initRcaches(int maxOrder) {
        if (rcaches != null) {
            throw new IllegalStateException("IOVA rcaches are already initialised");
        }
        if (maxOrder < 1 || maxOrder > 30) {
            throw new IllegalArgumentException("rcache max order " + maxOrder + "; allowed 1..30");
        }
        IovaRcache[] r = new IovaRcache[maxOrder];
        for (int order = 0; order < r.length; order++) {
            r[order] = new IovaRcache(this, engine, order);
        }
        rcaches = r;
    }

    /**
     * {@code alloc_iova_fast}: sizes below 32 granules are rounded up to a power of 2; a cached
     * range of that class is used if one lies below the limit, otherwise the tree allocates a
     * size-aligned range. If that fails and {@code flushRcache}, every CPU's magazines and then
     * every depot are emptied back into the tree and the tree is tried once more.
     *
     * @return the first pfn of the range, or 0 when none was found
     */
    public long allocIovaFast(Cpu cpu, long size, long limitPfn, boolean flushRcache) {
        checkRequest(size, limitPfn);
        IovaRcache[] r = rcachesOrFail();
        long len = size < (1L << (r.length - 1)) ? roundupPowOfTwo(size) : size;
        int order = orderBase2(len);
        if (order < r.length) {
            // iova_rcache_get(limit_pfn + 1) looks below limit + 1 - size, unsigned as in C.
            long pfn = r[order].get(cpu, limitPfn + 1 - len);
            if (pfn != 0) {
                return pfn;
            }
        }
        boolean flush = flushRcache;
        while (true) {
            Iova iova = allocIova(cpu, len, limitPfn, true);
            if (iova != null) {
                return iova.pfnLo;
            }
            if (!flush) {
                return 0;
            }
            flush = false;
            for (int target = 0; target < engine.nrCpus(); target++) {
                for (IovaRcache rcache : r) {
                    rcache.freeCpuCached(cpu, target);
                }
            }
            for (IovaRcache rcache : r) {
                rcache.freeGlobalCached(cpu);
            }
        }
    }

    /**
     * {@code free_iova_fast}: caches the range of {@code size} granules (the size given to
     * {@link #allocIovaFast}, before rounding) starting at {@code pfn}, or frees it to the tree
     * when its class is not cached.
     */
    public void freeIovaFast(Cpu cpu, long pfn, long size) {
        IovaRcache[] r = rcachesOrFail();
        int order = orderBase2(size);
        if (order < r.length) {
            r[order].insert(cpu, pfn);
        } else {
            freeIova(cpu, pfn);
        }
    }

    /**
     * {@code put_iova_domain}: tears the domain down. The trim works are cancelled and every
     * range, cached or not, is dropped without being freed one by one; the domain must not be
     * used afterwards.
     */
    public void putIovaDomain(Cpu cpu) {
        if (rcaches != null) {
            for (IovaRcache rcache : rcaches) {
                rcache.cancelWork();
            }
            rcaches = null;
        }
        acquire(iovaRbtreeLock, cpu);
        rbroot.clear();
        rbroot.link(anchor, null, false);
        cachedNode = anchor;
        cached32Node = anchor;
        nodeCount = 0;
        iovaRbtreeLock.unlock(cpu);
    }

    /** {@code iova_magazine_free_pfns}: returns a magazine's pfns to the tree in slot order, then empties it. */
    void freeMagazinePfns(Cpu cpu, IovaMagazine mag) {
        acquire(iovaRbtreeLock, cpu);
        for (int i = 0; i < mag.size(); i++) {
            Iova iova = privateFindIova(cpu, mag.pfn(i));
            if (iova != null) { // the kernel WARNs on a cached pfn missing from the tree
                removeIova(iova);
            }
        }
        iovaRbtreeLock.unlock(cpu);
        mag.clear();
    }

    private IovaRcache[] rcachesOrFail() {
        IovaRcache[] r = rcaches;
        if (r == null) {
            throw new IllegalStateException("IOVA rcaches are not initialised: call initRcaches() first");
        }
        return r;
    }

    /** {@code order_base_2}: ceil(log2(n)), 0 for n = 1. */
    static int orderBase2(long n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }

    private static long roundupPowOfTwo(long n) {
        return 1L << orderBase2(n);
    }

    /** Takes {@code lock} on {@code cpu}, spending one {@link Cost#SPIN_LOCK}. */
    static void acquire(SpinLock lock, Cpu cpu) {
        cpu.spend(Cost.SPIN_LOCK);
        lock.lock(cpu);
    }

    // ---- introspection for tests and golden replays: unlocked reads, exact only when quiescent ----

    /** {@code max32_alloc_size}. */
    public long max32AllocSize() {
        return max32AllocSize;
    }

    /** {@code pfn_lo} of {@code cached32_node}; {@link #IOVA_ANCHOR} when it is the anchor. */
    public long cached32PfnLo() {
        return cached32Node.pfnLo;
    }

    /** {@code pfn_lo} of {@code cached_node}; {@link #IOVA_ANCHOR} when it is the anchor. */
    public long cachedPfnLo() {
        return cachedNode.pfnLo;
    }

    /** Nodes in the tree, the anchor excluded (cached ranges included: they stay in the tree). */
    public long nodeCount() {
        return nodeCount;
    }

    /** Pfns held in all magazines: every CPU's loaded and prev, plus 127 per depot magazine. */
    public long cachedPfnCount() {
        long n = 0;
        for (IovaRcache rcache : rcachesOrFail()) {
            n += rcache.cachedPfns();
        }
        return n;
    }

    /** Full magazines in size class {@code order}'s depot. */
    public int depotSize(int order) {
        return rcachesOrFail()[order].depotSize();
    }

    /** Pfns in CPU {@code cpu}'s loaded magazine of size class {@code order}. */
    public int loadedSize(int cpu, int order) {
        return rcachesOrFail()[order].loadedSize(cpu);
    }

    /** Pfns in CPU {@code cpu}'s prev magazine of size class {@code order}. */
    public int prevSize(int cpu, int order) {
        return rcachesOrFail()[order].prevSize(cpu);
    }

    /**
     * One trim round as the golden traces run it: for classes 0..5 in order, a class whose depot
     * work is queued is unqueued and run once, on {@code cpu}.
     *
     * @return how many class works ran
     */
    int runDepotTrimRound(Cpu cpu) {
        int ran = 0;
        for (IovaRcache rcache : rcachesOrFail()) {
            if (rcache.runQueuedWork(cpu)) {
                ran++;
            }
        }
        return ran;
    }
}
