package org.iommulab.platform.qemu;

import java.util.Map;
import java.util.TreeMap;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * What the host IOMMU maps for one assigned endpoint: the vfio type1 container that QEMU's vfio
 * listener drives with one {@code VFIO_IOMMU_MAP_DMA} or {@code VFIO_IOMMU_UNMAP_DMA} ioctl per
 * notification. This is what the device can reach. Guarded by the host's lock.
 */
final class VfioContainer {

    private final TreeMap<Long, Piece> pieces = new TreeMap<>();

    /** {@code VFIO_IOMMU_MAP_DMA} of {@code size} bytes at {@code iova}. */
    void mapDma(Cpu cpu, long iova, long size, long phys, boolean writable) {
        cpu.spend(Cost.VIRTIO_HOST_MAP);
        pieces.put(iova, new Piece(size, phys, writable));
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA} of the piece at {@code iova}; returns whether one was mapped. */
    boolean unmapDma(Cpu cpu, long iova) {
        cpu.spend(Cost.VIRTIO_HOST_UNMAP);
        return pieces.remove(iova) != null;
    }

    /** The physical address a DMA to {@code iova} reaches, or {@link VirtioIommuHost#FAULT}. */
    long translate(long iova, boolean write) {
        Map.Entry<Long, Piece> e = pieces.floorEntry(iova);
        if (e == null || Long.compareUnsigned(iova - e.getKey(), e.getValue().size) >= 0) {
            return VirtioIommuHost.FAULT;
        }
        if (write && !e.getValue().writable) {
            return VirtioIommuHost.FAULT;
        }
        return e.getValue().phys + (iova - e.getKey());
    }

    private record Piece(long size, long phys, boolean writable) {}
}
