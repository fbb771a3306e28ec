package org.iommulab.iova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** The per-CPU range caches of {@link IovaDomain}: magazines, depot, trimming and flushing. */
class IovaRcacheTest {

    private static final long LIMIT_32 = (1L << 20) - 1;
    private static final int MAG = IovaMagazine.IOVA_MAG_SIZE;
    private static final long DELAY = IovaRcache.IOVA_DEPOT_DELAY_NS;

    private final ManualEngine engine = new ManualEngine(2);
    private final Cpu cpu0 = engine.cpu(0);
    private final Cpu cpu1 = engine.cpu(1);
    private final IovaDomain d = new IovaDomain(engine, 4096, 1);

    IovaRcacheTest() {
        d.initRcaches();
    }

    private long[] allocMany(Cpu cpu, int n, long size) {
        long[] pfns = new long[n];
        for (int i = 0; i < n; i++) {
            pfns[i] = d.allocIovaFast(cpu, size, LIMIT_32, true);
            assertThat(pfns[i]).isNotZero();
        }
        return pfns;
    }

    private void freeAll(Cpu cpu, long[] pfns, long size) {
        for (long pfn : pfns) {
            d.freeIovaFast(cpu, pfn, size);
        }
    }

    @Test
    void sizesBelow32AreRoundedToAPowerOfTwoAndAligned() {
        long pfn = d.allocIovaFast(cpu0, 3, LIMIT_32, false);
        assertThat(pfn).isEqualTo((1L << 20) - 4);
        assertThat(d.findIova(cpu0, pfn).size()).isEqualTo(4);
        long big = d.allocIovaFast(cpu0, 33, LIMIT_32, false);
        assertThat(d.findIova(cpu0, big).size()).as("33 and up are not rounded").isEqualTo(33);
        assertThat(big % 64).as("but still size-aligned").isZero();
    }

    @Test
    void aFreedRangeComesBackFromTheSameCpusCache() {
        long pfn = d.allocIovaFast(cpu0, 5, LIMIT_32, false);
        d.freeIovaFast(cpu0, pfn, 5);
        assertThat(d.nodeCount()).as("cached ranges stay in the tree").isEqualTo(1);
        assertThat(d.loadedSize(0, 3)).isEqualTo(1);
        assertThat(d.cachedPfnCount()).isEqualTo(1);
        long rcacheOps = engine.spent(Cost.IOVA_RCACHE_OP);
        assertThat(d.allocIovaFast(cpu0, 7, LIMIT_32, false)).as("same class 3").isEqualTo(pfn);
        assertThat(engine.spent(Cost.IOVA_RCACHE_OP)).isEqualTo(rcacheOps + 1);
        assertThat(d.cachedPfnCount()).isZero();
    }

    @Test
    void uncachedClassesGoStraightToTheTree() {
        long pfn = d.allocIovaFast(cpu0, 64, LIMIT_32, false);
        d.freeIovaFast(cpu0, pfn, 64);
        assertThat(d.nodeCount()).isZero();
        assertThat(d.cachedPfnCount()).isZero();
    }

    @Test
    void aCachedPfnAboveTheLimitIsNotUsed() {
        long high = d.allocIovaFast(cpu0, 1, LIMIT_32, false);
        d.freeIovaFast(cpu0, high, 1);
        long low = d.allocIovaFast(cpu0, 1, 4095, false);
        assertThat(low).isLessThanOrEqualTo(4095);
        assertThat(d.loadedSize(0, 0)).as("the unusable pfn stays cached").isEqualTo(1);
        assertThat(d.allocIovaFast(cpu0, 1, LIMIT_32, false)).isEqualTo(high);
    }

    /**
     * The lookup limit is the device's limit + 1 - size: a cached range that starts at or below the
     * limit but ends above it would let the device reach past its DMA mask.
     */
    @Test
    void aCachedRangeThatWouldEndAboveTheLimitIsNotUsed() {
        long high = d.allocIovaFast(cpu0, 4, LIMIT_32, false);
        assertThat(high + 3).isEqualTo(LIMIT_32);
        d.freeIovaFast(cpu0, high, 4);
        long r = d.allocIovaFast(cpu0, 4, high + 2, false);
        assertThat(r).as("a range wholly below the limit, not the cached one").isPositive().isNotEqualTo(high);
        assertThat(r + 3).isLessThanOrEqualTo(high + 2);
        assertThat(d.allocIovaFast(cpu0, 4, high + 3, false)).as("at the limit exactly, the cached range").isEqualTo(high);
    }

    @Test
    void aCachedPageJustAboveTheLimitIsNotUsedAndOneAtItIs() {
        long p = d.allocIovaFast(cpu0, 1, LIMIT_32, false);
        d.freeIovaFast(cpu0, p, 1);
        assertThat(d.allocIovaFast(cpu0, 1, p - 1, false)).isLessThan(p);
        assertThat(d.allocIovaFast(cpu0, 1, p, false)).isEqualTo(p);
    }

    @Test
    void aFullLoadedMagazineSwapsWithPrevThenGoesToTheDepot() {
        long[] pfns = allocMany(cpu0, 2 * MAG + 1, 1);
        for (int i = 0; i < MAG; i++) {
            d.freeIovaFast(cpu0, pfns[i], 1);
        }
        assertThat(d.loadedSize(0, 0)).isEqualTo(MAG);
        assertThat(d.prevSize(0, 0)).isZero();
        d.freeIovaFast(cpu0, pfns[MAG], 1);
        assertThat(d.loadedSize(0, 0)).as("swapped with the empty prev").isEqualTo(1);
        assertThat(d.prevSize(0, 0)).isEqualTo(MAG);
        for (int i = MAG + 1; i < 2 * MAG; i++) {
            d.freeIovaFast(cpu0, pfns[i], 1);
        }
        assertThat(d.depotSize(0)).isZero();
        d.freeIovaFast(cpu0, pfns[2 * MAG], 1);
        assertThat(d.depotSize(0)).as("both full: loaded goes to the depot").isEqualTo(1);
        assertThat(d.loadedSize(0, 0)).isEqualTo(1);
        assertThat(d.prevSize(0, 0)).isEqualTo(MAG);
        assertThat(d.cachedPfnCount()).isEqualTo(2L * MAG + 1);
    }

    @Test
    void getSwapsInPrevThenLoadsFromTheDepot() {
        long[] pfns = allocMany(cpu0, 2 * MAG + 1, 2);
        freeAll(cpu0, pfns, 2);
        assertThat(d.depotSize(1)).isEqualTo(1);
        // CPU 1 has nothing of its own: it takes the depot's magazine.
        assertThat(d.allocIovaFast(cpu1, 2, LIMIT_32, false)).isNotZero();
        assertThat(d.depotSize(1)).isZero();
        assertThat(d.loadedSize(1, 1)).isEqualTo(MAG - 1);
        // CPU 0 empties loaded (1 pfn), then swaps prev in.
        d.allocIovaFast(cpu0, 2, LIMIT_32, false);
        assertThat(d.loadedSize(0, 1)).isZero();
        d.allocIovaFast(cpu0, 2, LIMIT_32, false);
        assertThat(d.loadedSize(0, 1)).isEqualTo(MAG - 1);
        assertThat(d.prevSize(0, 1)).isZero();
        assertThat(d.nodeCount()).isEqualTo(2L * MAG + 1);
    }

    @Test
    void depotWorkTrimsOneMagazinePerDelayWhileAboveTheCpuCount() {
        int depotMags = 4;
        long[] pfns = allocMany(cpu0, (1 + depotMags) * MAG + 1, 1);
        freeAll(cpu0, pfns, 1);
        assertThat(d.depotSize(0)).isEqualTo(depotMags);
        long nodes = d.nodeCount();
        engine.advanceBy(DELAY - 1);
        assertThat(d.depotSize(0)).isEqualTo(depotMags);
        engine.advanceBy(1);
        assertThat(d.depotSize(0)).isEqualTo(depotMags - 1);
        assertThat(d.nodeCount()).isEqualTo(nodes - MAG);
        engine.advanceBy(DELAY);
        assertThat(d.depotSize(0)).as("2 CPUs: stops at 2").isEqualTo(2);
        engine.advanceBy(10 * DELAY);
        assertThat(d.depotSize(0)).isEqualTo(2);
        assertThat(d.nodeCount()).isEqualTo(nodes - 2L * MAG);
        assertThat(d.max32AllocSize()).isEqualTo(1L << 20);
    }

    @Test
    void aTrimRoundRunsEachQueuedClassOnce() {
        long[] ones = allocMany(cpu0, 4 * MAG + 1, 1);
        long[] twos = allocMany(cpu0, 2 * MAG + 1, 2);
        freeAll(cpu0, ones, 1);
        freeAll(cpu0, twos, 2);
        assertThat(d.depotSize(0)).isEqualTo(3);
        assertThat(d.depotSize(1)).isEqualTo(1);
        assertThat(d.runDepotTrimRound(cpu0)).isEqualTo(2);
        assertThat(d.depotSize(0)).isEqualTo(2);
        assertThat(d.depotSize(1)).isEqualTo(1);
        assertThat(d.runDepotTrimRound(cpu0)).as("class 0 re-armed after freeing").isEqualTo(1);
        assertThat(d.depotSize(0)).isEqualTo(2);
        assertThat(d.runDepotTrimRound(cpu0)).isZero();
    }

    @Test
    void allocationFailureFlushesEveryCacheAndRetriesOnce() {
        IovaDomain small = new IovaDomain(engine, 4096, (1L << 20) - 16);
        small.initRcaches();
        long[] pfns = new long[16];
        for (int i = 0; i < 16; i++) {
            pfns[i] = small.allocIovaFast(cpu0, 1, LIMIT_32, true);
        }
        for (long pfn : pfns) {
            small.freeIovaFast(cpu1, pfn, 1);
        }
        assertThat(small.allocIovaFast(cpu0, 2, LIMIT_32, false)).as("without flush").isZero();
        assertThat(small.max32AllocSize()).isEqualTo(2);
        assertThat(small.cachedPfnCount()).isEqualTo(16);
        long pfn = small.allocIovaFast(cpu0, 2, LIMIT_32, true);
        assertThat(pfn).isEqualTo((1L << 20) - 2);
        assertThat(small.cachedPfnCount()).isZero();
        assertThat(small.nodeCount()).isEqualTo(1);
        assertThat(small.allocIovaFast(cpu0, 32, LIMIT_32, true)).as("flushed and still no room").isZero();
    }

    @Test
    void putIovaDomainCancelsTrimmingAndDropsEverything() {
        long[] pfns = allocMany(cpu0, 5 * MAG + 1, 1);
        freeAll(cpu0, pfns, 1);
        d.putIovaDomain(cpu0);
        assertThat(d.nodeCount()).isZero();
        engine.advanceBy(10 * DELAY);
        assertThatThrownBy(() -> d.allocIovaFast(cpu0, 1, LIMIT_32, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fastPathsNeedInitialisedRcaches() {
        IovaDomain bare = new IovaDomain(engine, 4096, 1);
        assertThatThrownBy(() -> bare.allocIovaFast(cpu0, 1, LIMIT_32, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("initRcaches");
        assertThatThrownBy(d::initRcaches).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void orderBase2IsCeilLog2() {
        assertThat(IovaDomain.orderBase2(1)).isZero();
        assertThat(IovaDomain.orderBase2(2)).isEqualTo(1);
        assertThat(IovaDomain.orderBase2(3)).isEqualTo(2);
        assertThat(IovaDomain.orderBase2(32)).isEqualTo(5);
        assertThat(IovaDomain.orderBase2(33)).isEqualTo(6);
    }
}
