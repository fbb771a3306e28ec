package org.iommulab.report;

import java.util.Locale;

/**
 * Numbers for people: durations in ns, us, ms or s, counts with k and M, bytes in KiB to GiB,
 * rates in MB/s or GB/s. The same for every run, independent of the machine's locale; the exact
 * values stay in JSON and CSV.
 */
public final class Units {

    private Units() {}

    /** {@code 1234567} as {@code 1.23M}, {@code 299464.8} as {@code 299.5k}, small values as they are. */
    public static String count(double v) {
        if (Math.abs(v) >= 999_950) { // from here "%.1fk" would print 1000.0k
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (Math.abs(v) >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A duration given in ns, in the largest unit that keeps it at least 1. */
    public static String duration(double ns) {
        double a = Math.abs(ns);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        if (a >= 1e3) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ns", ns);
    }

    /** A size in bytes, in binary units. */
    public static String bytes(double b) {
        double a = Math.abs(b);
        if (a >= 1L << 40) {
            return String.format(Locale.ROOT, "%.2f TiB", b / (1L << 40));
        }
        if (a >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (1L << 30));
        }
        if (a >= 1L << 20) {
            return String.format(Locale.ROOT, "%.2f MiB", b / (1L << 20));
        }
        if (a >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", b / (1L << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    /** A data rate in bytes per second, in decimal units as storage and network rates are quoted. */
    public static String rate(double bytesPerSec) {
        if (Math.abs(bytesPerSec) >= 1e9) {
            return String.format(Locale.ROOT, "%.2f GB/s", bytesPerSec / 1e9);
        }
        if (Math.abs(bytesPerSec) >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSec / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kB/s", bytesPerSec / 1e3);
    }
}
