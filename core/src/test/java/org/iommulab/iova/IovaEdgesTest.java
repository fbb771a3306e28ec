package org.iommulab.iova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** The IOVA domain at the ends of what it accepts, and after {@code put_iova_domain}. */
class IovaEdgesTest {

    private static final long MAX_PFN = (1L << 52) - 1; // 64-bit addresses in 4 KiB granules

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);

    @Test
    void theGranuleGoesUpToAPageAndTheStartUpToBelowTheAnchor() {
        assertThat(new IovaDomain(engine, 4096, 1).granule()).isEqualTo(4096);
        assertThatThrownBy(() -> new IovaDomain(engine, 8192, 1)).hasMessageContaining("IOVA granule 8192");
        assertThat(new IovaDomain(engine, 4096, IovaDomain.IOVA_ANCHOR - 1).startPfn()).isEqualTo(IovaDomain.IOVA_ANCHOR - 1);
        assertThatThrownBy(() -> new IovaDomain(engine, 4096, IovaDomain.IOVA_ANCHOR)).hasMessageContaining("start pfn");
    }

    @Test
    void aLimitJustBelowTheAnchorIsAllowedAndTheAnchorItselfIsNot() {
        IovaDomain d = new IovaDomain(engine, 4096, 1);
        assertThat(d.allocIova(cpu, 1, IovaDomain.IOVA_ANCHOR - 1, false)).isNotNull();
        assertThatThrownBy(() -> d.allocIova(cpu, 1, IovaDomain.IOVA_ANCHOR, false)).hasMessageContaining("IOVA limit pfn");
    }

    @Test
    void theRcachesTakeFrom1To30SizeClasses() {
        new IovaDomain(engine, 4096, 1).initRcaches(1);
        new IovaDomain(engine, 4096, 1).initRcaches(30);
        assertThatThrownBy(() -> new IovaDomain(engine, 4096, 1).initRcaches(0)).hasMessage("rcache max order 0; allowed 1..30");
        assertThatThrownBy(() -> new IovaDomain(engine, 4096, 1).initRcaches(31)).hasMessage("rcache max order 31; allowed 1..30");
    }

    @Test
    void aReservationReachesTheLastPfnOfTheAddressSpaceAndNoFurther() {
        IovaDomain d = new IovaDomain(engine, 4096, 1);
        assertThat(d.reserveIova(cpu, 0, 0)).as("pfn 0").isNotNull();
        assertThat(d.reserveIova(cpu, MAX_PFN, MAX_PFN)).isNotNull();
        assertThat(d.reserveIova(cpu, MAX_PFN + 1, MAX_PFN + 1)).isNull();
        assertThat(d.reserveIova(cpu, MAX_PFN - 1, MAX_PFN + 1)).isNull();
        assertThat(d.reserveIova(cpu, -1, 3)).isNull();
    }

    @Test
    void putIovaDomainForgetsEveryRangeAndTheDomainAllocatesAfreshFromTheTop() {
        IovaDomain d = new IovaDomain(engine, 4096, 1);
        d.initRcaches();
        Iova a = d.allocIova(cpu, 4, 0xfffff, true);
        assertThat(d.findIova(cpu, a.pfnLo())).isSameAs(a);
        d.putIovaDomain(cpu);
        assertThat(d.findIova(cpu, a.pfnLo())).isNull();
        assertThat(d.nodeCount()).isZero();
        Iova b = d.allocIova(cpu, 4, 0xfffff, true);
        assertThat(b.pfnHi()).isEqualTo(0xfffff);
        assertThat(d.findIova(cpu, b.pfnLo())).isSameAs(b);
    }

    @Test
    void everyTreeWalkAndCacheOperationIsCharged() {
        IovaDomain d = new IovaDomain(engine, 4096, 1);
        d.initRcaches();
        for (int i = 0; i < 8; i++) {
            d.allocIova(cpu, 1, 0xfffff, true);
        }
        long walked = engine.spent(Cost.IOVA_RBTREE_NODE);
        assertThat(walked).as("allocation walks the tree").isPositive();
        Iova a = d.allocIova(cpu, 1, 0xfffff, true);
        assertThat(engine.spent(Cost.IOVA_RBTREE_NODE)).isGreaterThan(walked);
        walked = engine.spent(Cost.IOVA_RBTREE_NODE);
        d.findIova(cpu, a.pfnLo());
        assertThat(engine.spent(Cost.IOVA_RBTREE_NODE)).as("a lookup walks it").isGreaterThan(walked);
        walked = engine.spent(Cost.IOVA_RBTREE_NODE);
        d.reserveIova(cpu, 0x10, 0x20);
        assertThat(engine.spent(Cost.IOVA_RBTREE_NODE)).as("a reservation walks it").isGreaterThan(walked);
        long cached = engine.spent(Cost.IOVA_RCACHE_OP);
        d.freeIovaFast(cpu, a.pfnLo(), 1);
        assertThat(engine.spent(Cost.IOVA_RCACHE_OP)).as("a free goes through the rcache").isGreaterThan(cached);
        assertThatThrownBy(() -> d.allocIovaFast(cpu, 0, 0xfffff, true)).hasMessageContaining("IOVA size 0");
    }

    @Test
    void aRangePrintsItsPfns() {
        assertThat(new Iova(3, 9)).hasToString("iova[3..9]");
    }
}
