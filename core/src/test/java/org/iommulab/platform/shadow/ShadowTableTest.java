package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.platform.device.DmaTranslationSource;
import org.junit.jupiter.api.Test;

class ShadowTableTest {

    private final ShadowTable shadow = new ShadowTable();

    @Test
    void putLookupRemoveCountPages() {
        long e = DmaTranslationSource.translation(0x9000, true);
        assertThat(shadow.put(0x1_0000_3000L, e)).isEqualTo(ShadowTable.ABSENT);
        assertThat(shadow.put(0x1_0000_3000L, e)).isEqualTo(e);
        assertThat(shadow.size()).isEqualTo(1);
        assertThat(shadow.lookup(0x1_0000_3fffL)).isEqualTo(e);
        assertThat(shadow.lookup(0x1_0000_4000L)).isEqualTo(ShadowTable.ABSENT);
        assertThat(shadow.remove(0x1_0000_3000L)).isEqualTo(e);
        assertThat(shadow.remove(0x1_0000_3000L)).isEqualTo(ShadowTable.ABSENT);
        assertThat(shadow.size()).isZero();
    }

    @Test
    void clearDropsEverythingAndCountsIt() {
        long e = DmaTranslationSource.translation(0x9000, true);
        shadow.put(0x1_0000_0000L, e);
        shadow.put(0x2_0000_0000L, e);
        assertThat(shadow.clear()).isEqualTo(2);
        assertThat(shadow.size()).isZero();
        assertThat(shadow.lookup(0x1_0000_0000L)).isEqualTo(ShadowTable.ABSENT);
    }

    @Test
    void theBoundIsExclusiveEvenForAPageThatStartsExactlyThere() {
        long e = DmaTranslationSource.translation(0x9000, false);
        shadow.put(0x1_0000_2000L, e);
        assertThat(shadow.nextShadowed(0x1_0000_0000L, 0x1_0000_2000L)).isEqualTo(-1);
        assertThat(shadow.nextShadowed(0x1_0000_0000L, 0x1_0000_2001L)).isEqualTo(0x1_0000_2000L);
        assertThat(shadow.nextShadowed(0x1_0000_2000L, 0x1_0000_3000L)).as("the start is inclusive").isEqualTo(0x1_0000_2000L);
    }

    @Test
    void nextShadowedFindsPagesAcrossSegmentsWithinTheBound() {
        long e = DmaTranslationSource.translation(0x9000, false);
        shadow.put(0x1_0000_5000L, e);
        shadow.put(0x1_0030_0000L, e);

        assertThat(shadow.nextShadowed(0x1_0000_0000L, 0x2_0000_0000L)).isEqualTo(0x1_0000_5000L);
        assertThat(shadow.nextShadowed(0x1_0000_6000L, 0x2_0000_0000L)).isEqualTo(0x1_0030_0000L);
        assertThat(shadow.nextShadowed(0x1_0000_6000L, 0x1_0030_0000L)).isEqualTo(-1);
        assertThat(shadow.nextShadowed(0x1_0000_5000L, 0x1_0000_5000L)).isEqualTo(-1);
    }
}
