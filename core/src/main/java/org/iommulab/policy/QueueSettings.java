package org.iommulab.policy;

/**
 * A user's flush-queue size and timeout; 0 leaves the policy's default.
 *
 * @param size entries per queue, a power of 2, or 0
 * @param timeoutMs the flush timer's timeout in ms, or 0
 */
public record QueueSettings(int size, int timeoutMs) {

    /** Every policy's defaults. */
    public static final QueueSettings DEFAULTS = new QueueSettings(0, 0);

    /** True when the user set neither. */
    public boolean isDefault() {
        return size == 0 && timeoutMs == 0;
    }

    /** The user's size, or {@code fallback}. */
    public int sizeOr(int fallback) {
        return size != 0 ? size : fallback;
    }

    /** The user's timeout, or {@code fallback}. */
    public int timeoutMsOr(int fallback) {
        return timeoutMs != 0 ? timeoutMs : fallback;
    }
}
