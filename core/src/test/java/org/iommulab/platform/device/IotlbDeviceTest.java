package org.iommulab.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IotlbDeviceTest {

    /** A source the test edits directly, as a hypervisor's shadow would be. */
    private final Map<Long, Long> shadow = new HashMap<>();
    private final DmaTranslationSource source = iova -> shadow.getOrDefault(iova >>> 12, DmaTranslationSource.NO_TRANSLATION);

    @Test
    void translatesFromTheSourceAndKeepsTheTranslationUntilInvalidated() {
        IotlbDevice dev = new IotlbDevice("nic0", source, 4);
        shadow.put(0x100L, DmaTranslationSource.translation(0x7000, true));

        assertThat(dev.translate(0x100_123L, true)).isEqualTo(0x7123L);
        shadow.remove(0x100L);
        assertThat(dev.translate(0x100_456L, false)).isEqualTo(0x7456L); // cached: still reachable
        dev.invalidate(0x100_000L, 4096);
        assertThat(dev.translate(0x100_000L, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        assertThat(dev.misses()).isEqualTo(2);
        assertThat(dev.hits()).isEqualTo(1);
        assertThat(dev.faults()).isEqualTo(1);
    }

    @Test
    void writeToReadOnlyPageFaultsButReadSucceeds() {
        IotlbDevice dev = new IotlbDevice("nic0", source, 4);
        shadow.put(5L, DmaTranslationSource.translation(0x9000, false));
        assertThat(dev.translate(0x5008, true)).isEqualTo(IotlbDevice.FAULT_PROTECTION);
        assertThat(dev.translate(0x5008, false)).isEqualTo(0x9008L);
    }

    @Test
    void faultsAreNotCachedSoANewMappingIsSeenWithoutAFlush() {
        IotlbDevice dev = new IotlbDevice("nic0", source, 4);
        assertThat(dev.translate(0x3000, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
        shadow.put(3L, DmaTranslationSource.translation(0xa000, true));
        assertThat(dev.translate(0x3000, false)).isEqualTo(0xa000L);
    }

    @Test
    void leastRecentlyUsedEntryIsEvictedAtCapacity() {
        IotlbDevice dev = new IotlbDevice("nic0", source, 2);
        for (long p = 1; p <= 3; p++) {
            shadow.put(p, DmaTranslationSource.translation(p << 20, true));
        }
        dev.translate(0x1000, false);
        dev.translate(0x2000, false);
        dev.translate(0x1000, false); // page 1 used again: page 2 is now the eldest
        dev.translate(0x3000, false);
        assertThat(dev.iotlb().snapshot().keySet()).containsExactly(1L, 3L);
        assertThat(dev.iotlb().evictions()).isEqualTo(1);
    }

    @Test
    void rangeInvalidationDropsOnlyTheRangeAndAWideRangeScansTheCache() {
        IotlbDevice dev = new IotlbDevice("nic0", source, 8);
        for (long p = 10; p < 16; p++) {
            shadow.put(p, DmaTranslationSource.translation(p << 12, true));
            dev.translate(p << 12, false);
        }
        dev.invalidate(11L << 12, 2 * 4096);
        assertThat(dev.iotlb().snapshot().keySet()).containsExactlyInAnyOrder(10L, 13L, 14L, 15L);
        dev.invalidate(14L << 12, 1L << 40);
        assertThat(dev.iotlb().snapshot().keySet()).containsExactlyInAnyOrder(10L, 13L);
        dev.invalidateAll();
        assertThat(dev.iotlb().size()).isZero();
    }

    @Test
    void aFillThatRacedWithAnInvalidationIsDropped() {
        Iotlb iotlb = new Iotlb(4);
        long before = iotlb.invalidations();
        iotlb.invalidate(7, 1); // the page was unmapped and flushed while the walk was running
        iotlb.fill(7, DmaTranslationSource.translation(0x7000, true), before);
        assertThat(iotlb.lookup(7)).isEqualTo(DmaTranslationSource.NO_TRANSLATION);
    }

    @Test
    void aWalkOverlappingAFlushServesItsAccessButIsNotCached() {
        IotlbDevice[] dev = new IotlbDevice[1];
        shadow.put(7L, DmaTranslationSource.translation(0x7000, true));
        DmaTranslationSource racing = iova -> {
            long seen = source.lookup(iova);
            shadow.remove(iova >>> 12); // the CPU unmaps and flushes while the walk is in flight
            dev[0].invalidate(iova, 4096);
            return seen;
        };
        dev[0] = new IotlbDevice("nic0", racing, 4);
        assertThat(dev[0].translate(0x7000, false)).isEqualTo(0x7000L);
        assertThat(dev[0].iotlb().size()).isZero();
        assertThat(dev[0].translate(0x7000, false)).isEqualTo(IotlbDevice.FAULT_UNMAPPED);
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new Iotlb(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity 0");
    }
}
