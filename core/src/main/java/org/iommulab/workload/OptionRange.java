package org.iommulab.workload;

/** Range checks for workload options, with the one-line message users see. */
final class OptionRange {

    private OptionRange() {}

    /** @throws IllegalArgumentException "NAME VALUE is out of range; allowed MIN..MAX" */
    static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is out of range; allowed " + min + ".." + max);
        }
    }
}
