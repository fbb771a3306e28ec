package org.iommulab.iova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** The rbtree allocator of {@link IovaDomain}: placement, cached nodes, max32 and reserve quirks. */
class IovaDomainTest {

    private static final long DMA_32BIT_PFN = 1L << 20;
    private static final long LIMIT_32 = DMA_32BIT_PFN - 1;
    private static final long LIMIT_48 = (1L << 36) - 1;

    private final ManualEngine engine = new ManualEngine(2);
    private final Cpu cpu = engine.cpu(0);
    private final IovaDomain d = new IovaDomain(engine, 4096, 1);

    @Test
    void initialStateIsTheKernels() {
        assertThat(d.max32AllocSize()).isEqualTo(DMA_32BIT_PFN);
        assertThat(d.cachedPfnLo()).isEqualTo(IovaDomain.IOVA_ANCHOR);
        assertThat(d.cached32PfnLo()).isEqualTo(IovaDomain.IOVA_ANCHOR);
        assertThat(d.nodeCount()).isZero();
        assertThat(new IovaDomain(engine, 512, 0).max32AllocSize()).as("dma_32bit_pfn at 512-byte granules")
                .isEqualTo(1L << 23);
    }

    @Test
    void granuleMustBeAPowerOfTwoNoLargerThanAPage() {
        for (long bad : new long[] {0, -4096, 3, 8192}) {
            assertThatThrownBy(() -> new IovaDomain(engine, bad, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Long.toString(bad));
        }
        assertThatThrownBy(() -> new IovaDomain(engine, 4096, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badSizesAndLimitsAreRejected() {
        assertThatThrownBy(() -> d.allocIova(cpu, 0, LIMIT_32, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 0");
        assertThatThrownBy(() -> d.allocIova(cpu, 1, -1, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit pfn -1");
        assertThatThrownBy(() -> d.allocIova(cpu, 1, IovaDomain.IOVA_ANCHOR, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(d.allocIova(cpu, 2, IovaDomain.IOVA_ANCHOR - 1, false).pfnHi())
                .as("the highest limit a caller can clamp to").isEqualTo(IovaDomain.IOVA_ANCHOR - 1);
    }

    /**
     * The second pass below 4 GiB: the cached node sits low with the space below it used up, so
     * the search starts again from the limit ({@code iova_find_limit}) over what lies above the
     * cached node, and must neither pass the limit nor land on a node.
     */
    @Test
    void theSecondPassSearchesFromTheLimitDownToTheCachedNode() {
        d.reserveIova(cpu, 1, 999);
        assertThat(d.allocIova(cpu, 1, 3000, false).pfnLo).isEqualTo(3000);
        assertThat(d.allocIova(cpu, 1, 2500, false).pfnLo).isEqualTo(2500);
        assertThat(d.allocIova(cpu, 1, 1500, false).pfnLo).isEqualTo(1500);
        assertThat(d.allocIova(cpu, 1, 1000, false).pfnLo).isEqualTo(1000);
        assertThat(d.cached32PfnLo()).isEqualTo(1000);

        assertThat(d.allocIova(cpu, 1, 2000, false).pfnLo).as("the top of the window above the cached node").isEqualTo(2000);
        assertThat(d.allocIova(cpu, 1, 2000, false).pfnLo).isEqualTo(1999);
        assertThat(d.allocIova(cpu, 2, 2600, false).pfnLo).as("below the cached node first").isEqualTo(1997);
        // [1001, 1499] and [1501, 1996] left below 4 GiB under 2500: 499 pages fit in the first only
        assertThat(d.allocIova(cpu, 499, 1800, false).pfnLo).isEqualTo(1001);
        assertThat(d.nodeCount()).isEqualTo(9);
    }

    @Test
    void inlineHelpersFollowIovaH() {
        IovaDomain k = new IovaDomain(engine, 2048, 1);
        assertThat(k.iovaShift()).isEqualTo(11);
        assertThat(k.granule()).isEqualTo(2048);
        assertThat(k.startPfn()).isEqualTo(1);
        assertThat(k.iovaOffset(0x12345)).isEqualTo(0x345);
        assertThat(k.iovaAlign(1)).isEqualTo(2048);
        assertThat(k.iovaAlign(4096)).isEqualTo(4096);
        assertThat(k.iovaPfn(0x12345)).isEqualTo(0x24);
        Iova iova = k.allocIova(cpu, 1, 0x24, false);
        assertThat(k.iovaDma(iova)).isEqualTo(0x24L << 11);
        k.initRcaches();
        assertThat(k.iovaRcacheRange()).isEqualTo(128 * 1024);
    }

    @Test
    void anAllocationAboveTheRcacheRangeGoesToTheTreeAndOneBelowItIsCachedForEitherMaxOrder() {
        for (int maxOrder : new int[] {6, 8}) {
            IovaDomain k = new IovaDomain(engine, 4096, 1);
            k.initRcaches(maxOrder);
            long cached = 1L << (maxOrder - 1); // the rcache range itself is still cached
            long uncached = cached + 1;
            assertThat(k.iovaRcacheRange()).isEqualTo(4096L << (maxOrder - 1));
            long a = k.allocIovaFast(cpu, cached, LIMIT_32, false);
            long b = k.allocIovaFast(cpu, uncached, LIMIT_32, false);
            k.freeIovaFast(cpu, a, cached);
            k.freeIovaFast(cpu, b, uncached);
            assertThat(k.findIova(cpu, a)).as("order %d: a cached size stays reserved in the tree", maxOrder).isNotNull();
            assertThat(k.findIova(cpu, b)).as("order %d: a larger one goes back to the tree", maxOrder).isNull();
        }
    }

    @Test
    void allocatesTopDownBelowTheInclusiveLimit() {
        Iova a = d.allocIova(cpu, 4, LIMIT_32, false);
        Iova b = d.allocIova(cpu, 4, LIMIT_32, false);
        assertThat(a.pfnLo()).isEqualTo(DMA_32BIT_PFN - 4);
        assertThat(a.pfnHi()).isEqualTo(LIMIT_32);
        assertThat(b.pfnHi()).isEqualTo(a.pfnLo() - 1);
        assertThat(d.cached32PfnLo()).isEqualTo(b.pfnLo());
        assertThat(d.cachedPfnLo()).isEqualTo(IovaDomain.IOVA_ANCHOR);
        assertThat(d.nodeCount()).isEqualTo(2);
        assertThat(engine.spent(Cost.IOVA_RBTREE_NODE)).isPositive();
        assertThat(engine.spent(Cost.SPIN_LOCK)).isEqualTo(2);
    }

    @Test
    void sizeAlignmentClearsFlsOfSizeMinusOneBits() {
        // (2^20 - 3) rounded down: size 3 clears 2 bits, size 5 clears 3, size 1 none.
        assertThat(d.allocIova(cpu, 3, LIMIT_32, true).pfnLo()).isEqualTo(DMA_32BIT_PFN - 4);
        IovaDomain e = new IovaDomain(engine, 4096, 1);
        assertThat(e.allocIova(cpu, 5, LIMIT_32, true).pfnLo()).isEqualTo(DMA_32BIT_PFN - 8);
        IovaDomain f = new IovaDomain(engine, 4096, 1);
        assertThat(f.allocIova(cpu, 3, LIMIT_32, false).pfnLo()).isEqualTo(DMA_32BIT_PFN - 3);
        assertThat(f.allocIova(cpu, 1, LIMIT_32, true).pfnLo()).isEqualTo(DMA_32BIT_PFN - 4);
        assertThat(f.allocIova(cpu, 4, LIMIT_32, true).pfnLo()).isEqualTo(DMA_32BIT_PFN - 8);
    }

    @Test
    void cachedNodeFollowsWhereTheNodeLandsNotTheLimit() {
        Iova high = d.allocIova(cpu, 16, LIMIT_48, false);
        assertThat(d.cachedPfnLo()).isEqualTo(high.pfnLo());
        // A 33-bit request shares cached_node but its node ends below 4 GiB only if it must.
        Iova mid = d.allocIova(cpu, 16, (1L << 21) - 1, false);
        assertThat(mid.pfnHi()).isEqualTo((1L << 21) - 1);
        assertThat(d.cachedPfnLo()).as("ends above dma_32bit_pfn: cached_node").isEqualTo(mid.pfnLo());
        // The edge limit 2^20 goes the above-4 GiB way and lands across nothing: highest fit below it.
        Iova edge = d.allocIova(cpu, 4, DMA_32BIT_PFN, false);
        assertThat(edge.pfnHi()).isEqualTo(DMA_32BIT_PFN);
        assertThat(d.cachedPfnLo()).isEqualTo(edge.pfnLo());
        assertThat(d.cached32PfnLo()).isEqualTo(IovaDomain.IOVA_ANCHOR);
    }

    @Test
    void freeingMovesCachedNodesToTheSuccessor() {
        Iova a = d.allocIova(cpu, 4, LIMIT_32, false);
        Iova b = d.allocIova(cpu, 4, LIMIT_32, false);
        d.freeIova(cpu, b.pfnLo() + 2);
        assertThat(d.findIova(cpu, b.pfnLo())).isNull();
        assertThat(d.cached32PfnLo()).as("freed the cached node").isEqualTo(a.pfnLo());
        d.freeIovaNode(cpu, a);
        assertThat(d.cached32PfnLo()).isEqualTo(IovaDomain.IOVA_ANCHOR);
        assertThat(d.nodeCount()).isZero();
        d.freeIova(cpu, 12345);
        assertThat(d.nodeCount()).as("freeing an unallocated pfn is a no-op").isZero();
    }

    @Test
    void findReturnsTheContainingRange() {
        Iova a = d.allocIova(cpu, 10, LIMIT_32, false);
        assertThat(d.findIova(cpu, a.pfnLo())).isSameAs(a);
        assertThat(d.findIova(cpu, a.pfnHi())).isSameAs(a);
        assertThat(d.findIova(cpu, a.pfnLo() - 1)).isNull();
        assertThat(d.findIova(cpu, a.pfnHi() + 1)).isNull();
    }

    @Test
    void max32FailsFastUntilSomethingBelow4GiBIsFreed() {
        IovaDomain small = new IovaDomain(engine, 4096, DMA_32BIT_PFN - 8);
        Iova all = small.allocIova(cpu, 8, LIMIT_32, false);
        assertThat(small.allocIova(cpu, 2, LIMIT_32, false)).isNull();
        assertThat(small.max32AllocSize()).isEqualTo(2);
        long visited = engine.spent(Cost.IOVA_RBTREE_NODE);
        assertThat(small.allocIova(cpu, 3, LIMIT_32, false)).isNull();
        assertThat(engine.spent(Cost.IOVA_RBTREE_NODE)).as("rejected without a search").isEqualTo(visited);
        assertThat(small.allocIova(cpu, 4, LIMIT_48, false)).as("not consulted above 4 GiB").isNotNull();
        small.freeIovaNode(cpu, all);
        assertThat(small.max32AllocSize()).isEqualTo(DMA_32BIT_PFN);
        assertThat(small.allocIova(cpu, 3, LIMIT_32, false)).isNotNull();
    }

    @Test
    void aFailedSmallWindowSearchAlsoBlocks32BitRequests() {
        // Pfns 1..15 fit a 24-bit-style window; 16 do not, and the failure sets max32_alloc_size.
        assertThat(d.allocIova(cpu, 16, 15, false)).isNull();
        assertThat(d.max32AllocSize()).isEqualTo(16);
        assertThat(d.allocIova(cpu, 16, LIMIT_32, false)).as("plenty of room, still refused").isNull();
        assertThat(d.allocIova(cpu, 15, LIMIT_32, false)).isNotNull();
    }

    @Test
    void secondPassSearchesAboveTheCachedNode() {
        long start = (1L << 18) - 4;
        IovaDomain k = new IovaDomain(engine, 4096, start);
        Iova low = k.allocIova(cpu, 4, (1L << 18) - 1, false);
        assertThat(low.pfnLo()).isEqualTo(start);
        assertThat(k.cached32PfnLo()).isEqualTo(start);
        // Nothing fits below the cached node; the retry from iova_find_limit finds the top.
        Iova top = k.allocIova(cpu, 4, LIMIT_32, false);
        assertThat(top.pfnHi()).isEqualTo(LIMIT_32);
        assertThat(k.max32AllocSize()).isEqualTo(DMA_32BIT_PFN);
        // When the retry fails too, the size is recorded.
        assertThat(k.allocIova(cpu, DMA_32BIT_PFN - start, LIMIT_32, false)).isNull();
        assertThat(k.max32AllocSize()).isEqualTo(DMA_32BIT_PFN - start);
    }

    @Test
    void exhaustionFailsAndFreeingRecovers() {
        IovaDomain k = new IovaDomain(engine, 4096, DMA_32BIT_PFN - 64);
        Iova[] all = new Iova[64];
        for (int i = 0; i < 64; i++) {
            all[i] = k.allocIova(cpu, 1, LIMIT_32, true);
            assertThat(all[i].pfnLo()).isEqualTo(LIMIT_32 - i);
        }
        assertThat(k.allocIova(cpu, 1, LIMIT_32, true)).isNull();
        assertThat(k.max32AllocSize()).isEqualTo(1);
        k.freeIovaNode(cpu, all[40]);
        assertThat(k.allocIova(cpu, 1, LIMIT_32, true).pfnLo()).isEqualTo(all[40].pfnLo());
    }

    @Test
    void reserveWidensAnOverlappedNodeAndInsertsTheRest() {
        Iova a = d.allocIova(cpu, 11, 20, false);
        assertThat(a.pfnLo()).isEqualTo(10);
        Iova r = d.reserveIova(cpu, 5, 25);
        assertThat(a.pfnLo()).as("widened down to the request").isEqualTo(5);
        assertThat(r.pfnLo()).isEqualTo(21);
        assertThat(r.pfnHi()).isEqualTo(25);
        assertThat(d.nodeCount()).isEqualTo(2);
        assertThat(d.cached32PfnLo()).as("reserve leaves cached32_node on the widened node").isEqualTo(5);
        assertThat(d.reserveIova(cpu, 7, 9)).as("inside a node: that node").isSameAs(a);
        assertThat(d.nodeCount()).isEqualTo(2);
        assertThat(d.reserveIova(cpu, 100, 100).pfnLo()).isEqualTo(100);
        d.freeIova(cpu, 6);
        assertThat(d.findIova(cpu, 5)).as("a free removes the widened range").isNull();
        assertThat(d.reserveIova(cpu, 0, 1L << 52)).as("beyond the 64-bit address space").isNull();
    }
}
