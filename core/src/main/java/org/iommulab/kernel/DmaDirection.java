package org.iommulab.kernel;

/** {@code enum dma_data_direction}, numbered as the kernel and dma_map_benchmark number it. */
public enum DmaDirection {
    BIDIRECTIONAL,
    TO_DEVICE,
    FROM_DEVICE,
    NONE;

    /** True when the device may write the buffer, so the mapping must be writable. */
    public boolean deviceWrites() {
        return this == BIDIRECTIONAL || this == FROM_DEVICE;
    }
}
