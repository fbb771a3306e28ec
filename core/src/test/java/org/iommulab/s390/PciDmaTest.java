package org.iommulab.s390;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iommulab.s390.PciDma.*;

import org.junit.jupiter.api.Test;

/** Entry formats against values computed by hand from the bit layout in pci_dma.h. */
class PciDmaTest {

    @Test
    void indexesTakeBits41to31_30to20_19to12() {
        long dma = 0x1_2345_6789L;
        // 0x123456789 >> 31 = 2; >> 20 = 0x1234, & 0x7ff = 0x234; >> 12 = 0x123456, & 0xff = 0x56
        assertThat(calcRtx(dma)).isEqualTo(2);
        assertThat(calcSx(dma)).isEqualTo(0x234);
        assertThat(calcPx(dma)).isEqualTo(0x56);
        assertThat(calcRtx(ZPCI_TABLE_SIZE_RT - 1)).isEqualTo(0x7ff);
        assertThat(calcSx(ZPCI_TABLE_SIZE_RT - 1)).isEqualTo(0x7ff);
        assertThat(calcPx(ZPCI_TABLE_SIZE_RT - 1)).isEqualTo(0xff);
    }

    @Test
    void geometryIs4TiBIn2048x2048x256Pages() {
        assertThat(ZPCI_RT_SHIFT).isEqualTo(31);
        assertThat(ZPCI_ST_SHIFT).isEqualTo(20);
        assertThat(ZPCI_TABLE_ENTRIES).isEqualTo(2048);
        assertThat(ZPCI_PT_ENTRIES).isEqualTo(256);
        assertThat((long) ZPCI_TABLE_ENTRIES * ZPCI_TABLE_ENTRIES * ZPCI_PT_ENTRIES * PAGE_SIZE)
                .isEqualTo(ZPCI_TABLE_SIZE_RT);
    }

    @Test
    void regionThirdEntryForSegmentTableAt0x12344000() {
        // from the invalid entry 0x20: origin 0x12344000, type RTX 0x4, length 0x3, valid (0x20 clear)
        long rte = entryClrProtected(validateRtEntry(setRtSto(ZPCI_TABLE_INVALID, 0x1234_4000L)));
        assertThat(rte).isEqualTo(0x1234_4007L);
        assertThat(regEntryIsValid(rte)).isTrue();
        assertThat(getRtSto(rte)).isEqualTo(0x1234_4000L);
        assertThat(getStPto(rte)).isZero(); // typed RTX, not SX
    }

    @Test
    void segmentEntryForPageTableAt0x5678800() {
        // from 0x20: origin 0x5678800 (2 KiB aligned), type SX 0, valid
        long ste = entryClrProtected(validateStEntry(setStPto(ZPCI_TABLE_INVALID, 0x567_8800L)));
        assertThat(ste).isEqualTo(0x567_8800L);
        assertThat(regEntryIsValid(ste)).isTrue();
        assertThat(getStPto(ste)).isEqualTo(0x567_8800L);
        assertThat(regEntryIsValid(ZPCI_TABLE_INVALID)).isFalse();
    }

    @Test
    void pageTableEntriesReadOnlyWritableAndInvalidated() {
        long writable = entryClrProtected(validatePtEntry(setPtPfaa(ZPCI_PTE_INVALID, 0xabcd_e000L)));
        assertThat(writable).isEqualTo(0xabcd_e000L);
        long readOnly = entrySetProtected(validatePtEntry(setPtPfaa(ZPCI_PTE_INVALID, 0xabcd_e000L)));
        assertThat(readOnly).isEqualTo(0xabcd_e200L);
        assertThat(entryIsProtected(readOnly)).isTrue();
        // unmapping keeps the frame address, sets 0x400 and clears the protect bit
        long invalid = entryClrProtected(invalidatePtEntry(readOnly));
        assertThat(invalid).isEqualTo(0xabcd_e400L);
        assertThat(ptEntryIsValid(invalid)).isFalse();
        assertThat(ptePfaa(invalid)).isEqualTo(0xabcd_e000L);
    }

    @Test
    void iotaIsOriginWithEnabledAndRegionThirdDesignation() {
        assertThat(ZPCI_IOTA_RTTO_FLAG).isEqualTo(0x804L);
    }
}
