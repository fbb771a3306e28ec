package org.iommulab.platform.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Pow2ChunksTest {

    @Test
    void handComputedSplits() {
        assertThat(split(0x3000, 0x10000)).containsExactly(0x1000L, 0x4000L, 0x8000L);
        assertThat(split(0, 0x7000)).containsExactly(0x4000L, 0x2000L, 0x1000L);
        assertThat(split(0x1_0000_0000L, 0x1_0010_0000L)).containsExactly(0x10_0000L);
        assertThat(split(0x5000, 0x6000)).containsExactly(0x1000L);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void chunksAreAlignedPowersOfTwoThatTileTheRange(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            long start = rnd.nextLong(1 << 20) << 12;
            long end = start + ((1 + rnd.nextLong(1 << 16)) << 12);
            long at = start;
            for (long size : split(start, end)) {
                assertThat(Long.bitCount(size)).isEqualTo(1);
                assertThat(at % size).isZero();
                at += size;
            }
            assertThat(at).isEqualTo(end);
        }
    }

    @Test
    void emptyRangeIsRejected() {
        assertThatThrownBy(() -> Pow2Chunks.firstChunk(0x1000, 0x1000)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Long> split(long start, long end) {
        List<Long> sizes = new ArrayList<>();
        for (long at = start; at < end; ) {
            long size = Pow2Chunks.firstChunk(at, end);
            sizes.add(size);
            at += size;
        }
        return sizes;
    }
}
