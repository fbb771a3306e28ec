package org.iommulab.platform.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** QEMU's splitting of a MAP or UNMAP into aligned power-of-two pieces; the requests themselves are tested through the driver. */
class VirtioIommuHostTest {

    @Test
    void alignedPow2SizeIsTheLargestAlignedPieceThatFits() {
        assertThat(VirtioIommuHost.alignedPow2Size(0x3000, 0xffff)).isEqualTo(0x1000);
        assertThat(VirtioIommuHost.alignedPow2Size(0x4000, 0xffff)).isEqualTo(0x4000);
        assertThat(VirtioIommuHost.alignedPow2Size(0x8000, 0xbfff)).isEqualTo(0x4000);
        assertThat(VirtioIommuHost.alignedPow2Size(0, 0x2fff)).isEqualTo(0x2000);
    }
}
