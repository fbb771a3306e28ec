package org.iommulab.workload;

/**
 * Failed I/Os by why they failed: their DMA maps kept failing, the device met an access it could
 * not translate, or the device ended the transfer with an error status. Each failed I/O counts
 * under exactly one cause.
 */
public record IoFailures(long mapError, long translationFault, long deviceError) {

    public static final IoFailures NONE = new IoFailures(0, 0, 0);

    /** Every failed I/O. */
    public long total() {
        return mapError + translationFault + deviceError;
    }

    public IoFailures plus(IoFailures other) {
        return new IoFailures(mapError + other.mapError, translationFault + other.translationFault,
                deviceError + other.deviceError);
    }
}
