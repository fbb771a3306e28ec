package org.iommulab.trace;

import java.util.List;

/**
 * One misuse, or one access after unmap, that a capture shows.
 *
 * @param lines the capture's lines involved, earliest first
 */
public record Finding(Kind kind, String device, long iova, long size, List<Long> lines, String detail) {

    public enum Kind {
        /** An unmap of an address the device has not mapped. */
        UNMAP_UNKNOWN("unmap-unknown"),
        /** An unmap of an address already unmapped. */
        DOUBLE_UNMAP("double-unmap"),
        /** An unmap whose size differs from its map's. */
        SIZE_MISMATCH("size-mismatch"),
        /** An unmap whose direction differs from its map's. */
        DIRECTION_MISMATCH("direction-mismatch"),
        /** A {@code dma_unmap_sg} whose physical segments no live {@code dma_map_sg} of the device has. */
        SG_UNMAP_UNMATCHED("sg-unmap-unmatched"),
        /** A {@code dma_free} of an address the device has not allocated, or of another size. */
        FREE_UNKNOWN("free-unknown"),
        /** A single sync of an address the device has not mapped. */
        SYNC_UNMAPPED("sync-unmapped"),
        /** Mappings still live when the capture ends, one finding per device. */
        LEAK("leak"),
        /** A fault on an IOVA the device had mapped and unmapped earlier: an access after unmap. */
        FAULT_AFTER_UNMAP("fault-after-unmap"),
        /** A fault on an IOVA the capture never shows mapped. */
        FAULT_UNMAPPED("fault-unmapped");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The name in reports and JSON. */
        public String key() {
            return key;
        }
    }

    public Finding {
        lines = List.copyOf(lines);
    }
}
