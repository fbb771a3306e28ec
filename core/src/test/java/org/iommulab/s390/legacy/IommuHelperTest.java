package org.iommulab.s390.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

class IommuHelperTest {

    private final ManualEngine engine = new ManualEngine(1);
    private final Cpu cpu = engine.cpu(0);

    @Test
    void findsNextSetAndClearBitsAcrossWords() {
        long[] map = new long[3];
        IommuHelper.bitmapSet(cpu, map, 60, 10);
        assertThat(map[0]).isEqualTo(0xfL << 60);
        assertThat(map[1]).isEqualTo(0x3fL);
        assertThat(IommuHelper.findNextBit(cpu, map, 192, 0)).isEqualTo(60);
        assertThat(IommuHelper.findNextZeroBit(cpu, map, 192, 60)).isEqualTo(70);
        assertThat(IommuHelper.findNextBit(cpu, map, 192, 70)).isEqualTo(192);
        assertThat(IommuHelper.findNextBit(cpu, map, 65, 0)).isEqualTo(60);
        assertThat(IommuHelper.findNextZeroBit(cpu, map, 65, 60)).isEqualTo(65);
        IommuHelper.bitmapClear(cpu, map, 62, 5);
        assertThat(map[0]).isEqualTo(0x3L << 60);
        assertThat(map[1]).isEqualTo(0x38L);
        assertThat(IommuHelper.bitmapWeight(map, 192)).isEqualTo(5);
        assertThat(IommuHelper.bitmapWeight(map, 64)).isEqualTo(2);
    }

    @Test
    void chargesOneCostPerWordScanned() {
        long[] map = new long[4];
        IommuHelper.findNextBit(cpu, map, 256, 10);
        assertThat(engine.spent(Cost.LEGACY_BITMAP_WORD)).isEqualTo(4);
        IommuHelper.bitmapSet(cpu, map, 63, 2);
        assertThat(engine.spent(Cost.LEGACY_BITMAP_WORD)).isEqualTo(6);
        IommuHelper.findNextZeroBit(cpu, map, 256, 63);
        assertThat(engine.spent(Cost.LEGACY_BITMAP_WORD)).isEqualTo(8);
    }

    @Test
    void areaSkipsBusyBitsAndNeverUsesTheLastBit() {
        long[] map = new long[1];
        IommuHelper.bitmapSet(cpu, map, 3, 1);
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 16, 0, 4, 0, 1 << 20, 0)).isEqualTo(4);
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 16, 0, 3, 0, 1 << 20, 0)).isZero();
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 16, 0, 7, 0, 1 << 20, 0)).isEqualTo(8);
        assertThat(map[0]).isEqualTo(0x7fffL);
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 16, 0, 1, 0, 1 << 20, 0))
                .as("bit 15 is the last of 16 and never handed out").isEqualTo(IommuHelper.NO_AREA);
    }

    @Test
    void areaDoesNotWrapOnItsOwn() {
        long[] map = new long[1];
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 64, 60, 4, 0, 1 << 20, 0))
                .isEqualTo(IommuHelper.NO_AREA);
        assertThat(map[0]).isZero();
    }

    @Test
    void areaStraddlingASegmentBoundaryResumesAtTheNextBoundary() {
        long[] map = new long[4];
        // shift 19 and boundary 16: boundaries fall at indices 13, 29, 45, ...
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 256, 10, 4, 19, 16, 0)).isEqualTo(13);
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 256, 17, 13, 19, 16, 0)).isEqualTo(29);
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 256, 0, 16, 19, 16, 0)).isEqualTo(45);
        assertThat(IommuHelper.iommuAreaAlloc(cpu, map, 256, 0, 17, 19, 16, 0))
                .as("larger than a segment").isEqualTo(IommuHelper.NO_AREA);
    }

    @Test
    void findZeroAreaHonoursAlignment() {
        long[] map = new long[1];
        IommuHelper.bitmapSet(cpu, map, 0, 1);
        assertThat(IommuHelper.bitmapFindNextZeroAreaOff(cpu, map, 64, 0, 2, 3, 0)).isEqualTo(4);
        assertThat(IommuHelper.bitmapFindNextZeroAreaOff(cpu, map, 64, 0, 2, 3, 1)).isEqualTo(3);
        assertThat(IommuHelper.bitmapFindNextZeroAreaOff(cpu, map, 64, 62, 4, 0, 0)).isEqualTo(66);
    }

    @Test
    void andnotAndZero() {
        long[] main = {0xffL, -1L};
        long[] lazy = {0x0fL, 1L << 63};
        IommuHelper.bitmapAndnot(cpu, main, main, lazy, 128);
        assertThat(main).containsExactly(0xf0L, Long.MAX_VALUE);
        IommuHelper.bitmapZero(cpu, lazy, 128);
        assertThat(lazy).containsExactly(0L, 0L);
    }

    @Test
    void rejectsBadArguments() {
        long[] map = new long[1];
        assertThatThrownBy(() -> IommuHelper.iommuAreaAlloc(cpu, map, 64, 0, 0, 0, 16, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 bits");
        assertThatThrownBy(() -> IommuHelper.iommuAreaAlloc(cpu, map, 64, 0, 1, 0, 12, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    }
}
