package org.iommulab.workload;

/**
 * What {@link TraceReplay} replays.
 *
 * @param trace the capture's file
 * @param device the device whose {@code dma:*} events are replayed, by its name in the capture
 */
public record ReplayOptions(String trace, String device) {

    public ReplayOptions {
        if (trace == null || trace.isEmpty() || device == null || device.isEmpty()) {
            throw new IllegalArgumentException("a replay needs a trace file and a device name");
        }
    }
}
