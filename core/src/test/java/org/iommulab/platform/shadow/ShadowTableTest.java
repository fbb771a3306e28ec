package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.iommu.IommuProt;
import org.junit.jupiter.api.Test;

class ShadowTableTest {

    private final ShadowTable shadow = new ShadowTable();

    @Test
    void entryPacksAddressAndPermission() {
        long e = ShadowTable.entry(0x1234_5000L, IommuProt.READ);
        assertThat(ShadowTable.translatedAddr(e)).isEqualTo(0x1234_5000L);
        assertThat(ShadowTable.perm(e)).isEqualTo(IommuProt.READ);
        assertThatThrownBy(() -> ShadowTable.entry(0x1234_5800L, IommuProt.READ))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 KiB-aligned");
        assertThatThrownBy(() -> ShadowTable.entry(0x1000, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putLookupRemoveCountPages() {
        long e = ShadowTable.entry(0x9000, IommuProt.READ | IommuProt.WRITE);
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
    void nextShadowedFindsPagesAcrossSegmentsWithinTheBound() {
        long e = ShadowTable.entry(0x9000, IommuProt.READ);
        shadow.put(0x1_0000_5000L, e);
        shadow.put(0x1_0030_0000L, e);

        assertThat(shadow.nextShadowed(0x1_0000_0000L, 0x2_0000_0000L)).isEqualTo(0x1_0000_5000L);
        assertThat(shadow.nextShadowed(0x1_0000_6000L, 0x2_0000_0000L)).isEqualTo(0x1_0030_0000L);
        assertThat(shadow.nextShadowed(0x1_0000_6000L, 0x1_0030_0000L)).isEqualTo(-1);
        assertThat(shadow.nextShadowed(0x1_0000_5000L, 0x1_0000_5000L)).isEqualTo(-1);
    }
}
