package org.iommulab.dma;

import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;

/**
 * Direct mapping, kernel/dma/direct.c reduced to what an identity domain needs: the bus address is
 * the physical address, a buffer beyond the DMA mask cannot be mapped (no swiotlb bouncing in the
 * model), unmapping does nothing, and nothing is spent.
 */
public final class DmaDirect implements DmaOps {

    @Override
    public long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs) {
        if (size <= 0 || Long.compareUnsigned(phys + size - 1, dev.dmaMask()) > 0) {
            return DMA_MAPPING_ERROR;
        }
        return phys;
    }

    @Override
    public void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir, long attrs) {
        // nothing was set up
    }

    @Override
    public int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        for (int i = 0; i < sg.nents(); i++) {
            if (Long.compareUnsigned(sg.phys(i) + sg.length(i) - 1, dev.dmaMask()) > 0) {
                return -Errno.EIO;
            }
            sg.setDma(i, sg.phys(i), sg.length(i));
        }
        sg.setDmaNents(sg.nents());
        return sg.nents();
    }

    @Override
    public void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        // nothing was set up
    }
}
