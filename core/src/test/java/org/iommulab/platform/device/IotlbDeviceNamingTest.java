package org.iommulab.platform.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IotlbDeviceNamingTest {

    @Test
    void aDeviceIsKnownByItsNameAndItsIotlbByItsSize() {
        IotlbDevice dev = new IotlbDevice("nvme0", iova -> DmaTranslationSource.NO_TRANSLATION, 64);
        assertThat(dev.name()).isEqualTo("nvme0");
        assertThat(dev).hasToString("nvme0");
        assertThat(new Iotlb(64).capacity()).isEqualTo(64);
    }
}
