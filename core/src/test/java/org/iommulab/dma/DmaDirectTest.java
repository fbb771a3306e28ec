package org.iommulab.dma;

import static org.assertj.core.api.Assertions.assertThat;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.manual.ManualEngine;
import org.junit.jupiter.api.Test;

/** Identity and passthrough: the bus address is the physical one, within the DMA mask only. */
class DmaDirectTest {

    private final Cpu cpu = new ManualEngine(1).cpu(0);
    private final Device dev = new Device("d");
    private final DmaDirect ops = new DmaDirect();

    @Test
    void aPageWithinTheMaskMapsToItsPhysicalAddress() {
        dev.setDmaMaskBits(32);
        assertThat(ops.mapPage(cpu, dev, 0xffff_f000L, 0x1000, DmaDirection.TO_DEVICE, 0)).isEqualTo(0xffff_f000L);
        assertThat(ops.mapPage(cpu, dev, 0xffff_f001L, 0x1000, DmaDirection.TO_DEVICE, 0))
                .as("its last byte past the mask").isEqualTo(DmaOps.DMA_MAPPING_ERROR);
        assertThat(ops.mapPage(cpu, dev, 0x1000, 0, DmaDirection.TO_DEVICE, 0)).isEqualTo(DmaOps.DMA_MAPPING_ERROR);
    }

    @Test
    void aScatterListMapsEntryForEntryOrFailsWithEio() {
        dev.setDmaMaskBits(32);
        ScatterList sg = new ScatterList(2);
        sg.add(0x1000, 100);
        sg.add(0xffff_f000L, 0x1000);
        assertThat(ops.mapSg(cpu, dev, sg, DmaDirection.FROM_DEVICE, 0)).isEqualTo(2);
        assertThat(sg.dmaNents()).isEqualTo(2);
        assertThat(sg.dmaAddress(1)).isEqualTo(0xffff_f000L);
        assertThat(sg.dmaLength(0)).isEqualTo(100);
        ScatterList beyond = new ScatterList(1);
        beyond.add(0xffff_f001L, 0x1000);
        assertThat(ops.mapSg(cpu, dev, beyond, DmaDirection.FROM_DEVICE, 0)).isEqualTo(-Errno.EIO);
    }
}
