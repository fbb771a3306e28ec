package org.iommulab.fault;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iommulab.config.Records;

/**
 * What a run injects ({@code --fault}): a probability per call for the random kinds, a limit for
 * the others, each 0 when not injected. Written and parsed as
 * {@code rpcit-busy=0.01,hv-dma-limit=512,iova-space=64MiB}; see {@link FaultKind}.
 *
 * @param hvDmaLimit the host's DMA entry limit, or 0 for the hypervisor's own
 * @param iovaSpace bytes of bus address space the device can reach, or 0 for what the platform gives
 */
public record Faults(double rpcitBusy, double rpcitOor, double rpcitError, long hvDmaLimit, long iovaSpace,
        double tableAlloc, double deviceError, double virtioError, double invTimeout) {

    /** Nothing injected. */
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** vfio's {@code dma_entry_limit} is an unsigned int; more than this many 4 KiB entries is 8 TiB. */
    public static final long MAX_ENTRIES = 1L << 31;
    private static final long PAGE = 4096;
    /** The s390 tables reach 4 TiB; no platform here hands out more. */
    public static final long MAX_IOVA_SPACE = 1L << 42;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([kmgt]i?b?|b)?");
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    public Faults {
        // -0.0 is 0: adding 0.0 makes it +0.0, so that a plan equals the one its text reads back as
        rpcitBusy += 0.0;
        rpcitOor += 0.0;
        rpcitError += 0.0;
        tableAlloc += 0.0;
        deviceError += 0.0;
        virtioError += 0.0;
        invTimeout += 0.0;
        for (FaultKind k : FaultKind.values()) {
            check(k, valueOf(k, rpcitBusy, rpcitOor, rpcitError, hvDmaLimit, iovaSpace, tableAlloc, deviceError,
                    virtioError, invTimeout));
        }
    }

    /**
     * Parses {@code text}: {@code none}, or comma-separated {@code kind=value} items, each kind at
     * most once.
     *
     * @throws IllegalArgumentException naming the item and what is allowed
     */
    public static Faults parse(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("none")) {
            return NONE;
        }
        Faults out = NONE;
        Set<FaultKind> seen = EnumSet.noneOf(FaultKind.class);
        for (String item : t.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--fault item '" + item.trim() + "' is not kind=value; kinds: "
                        + FaultKind.names());
            }
            FaultKind kind = FaultKind.byCliName(item.substring(0, eq));
            if (!seen.add(kind)) {
                throw new IllegalArgumentException("--fault names " + kind.cliName() + " twice");
            }
            out = Records.with(out, kind.component(), parseValue(kind, item.substring(eq + 1).trim()));
        }
        return out;
    }

    /** The value of {@code kind}: a probability, or a count or size as a {@code Long}. */
    public Number value(FaultKind kind) {
        return valueOf(kind, rpcitBusy, rpcitOor, rpcitError, hvDmaLimit, iovaSpace, tableAlloc, deviceError,
                virtioError, invTimeout);
    }

    /** Whether {@code kind} is injected. */
    public boolean has(FaultKind kind) {
        return value(kind).doubleValue() != 0;
    }

    /**
     * Whether a flush may be lost: an RPCIT answered out of resources or with an error (the kernel
     * ignores an invalidation's), a host out of DMA entries, a virtio-iommu UNMAP that failed.
     */
    public boolean mayLoseFlushes() {
        return rpcitOor > 0 || rpcitError > 0 || hvDmaLimit > 0 || virtioError > 0;
    }

    /** The kinds injected, in {@link FaultKind} order. */
    public List<FaultKind> kinds() {
        List<FaultKind> out = new ArrayList<>();
        for (FaultKind k : FaultKind.values()) {
            if (has(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** These faults with {@code kind} set to {@code value} (0 removes it). */
    public Faults with(FaultKind kind, Number value) {
        return Records.with(this, kind.component(), kind.random() ? (Object) value.doubleValue() : (Object) value.longValue());
    }

    /** The form {@link #parse} reads, {@code none} when nothing is injected. */
    @Override
    public String toString() {
        List<String> items = new ArrayList<>();
        for (FaultKind k : kinds()) {
            items.add(k.cliName() + "=" + format(k, value(k)));
        }
        return items.isEmpty() ? "none" : String.join(",", items);
    }

    private static Number valueOf(FaultKind kind, double rpcitBusy, double rpcitOor, double rpcitError,
            long hvDmaLimit, long iovaSpace, double tableAlloc, double deviceError, double virtioError,
            double invTimeout) {
        return switch (kind) {
            case RPCIT_BUSY -> rpcitBusy;
            case RPCIT_OOR -> rpcitOor;
            case RPCIT_ERROR -> rpcitError;
            case HV_DMA_LIMIT -> hvDmaLimit;
            case IOVA_SPACE -> iovaSpace;
            case TABLE_ALLOC -> tableAlloc;
            case DEVICE_ERROR -> deviceError;
            case VIRTIO_ERROR -> virtioError;
            case INV_TIMEOUT -> invTimeout;
        };
    }

    private static void check(FaultKind kind, Number value) {
        switch (kind.value()) {
            case PROBABILITY -> {
                double p = value.doubleValue();
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("--fault " + kind.cliName() + "=" + value + "; allowed 0..1");
                }
            }
            case RETRIED_PROBABILITY -> {
                double p = value.doubleValue();
                if (!(p >= 0 && p < 1)) {
                    throw new IllegalArgumentException("--fault " + kind.cliName() + "=" + value
                            + "; allowed 0 up to but not including 1 (the kernel retries until it passes)");
                }
            }
            case ENTRIES -> {
                long n = value.longValue();
                if (n < 0 || n > MAX_ENTRIES) {
                    throw new IllegalArgumentException("--fault " + kind.cliName() + "=" + n + "; allowed 1.." + MAX_ENTRIES);
                }
            }
            case BYTES -> {
                long b = value.longValue();
                if (b < 0 || b > MAX_IOVA_SPACE || b % PAGE != 0) {
                    throw new IllegalArgumentException("--fault " + kind.cliName() + "=" + b
                            + " bytes; allowed a multiple of 4KiB up to 4TiB");
                }
            }
        }
    }

    private static Object parseValue(FaultKind kind, String text) {
        String bad = "--fault " + kind.cliName() + "=" + text + "; allowed ";
        switch (kind.value()) {
            case PROBABILITY, RETRIED_PROBABILITY -> {
                try {
                    double p = Double.parseDouble(text);
                    if (Double.isFinite(p) && !text.matches(".*[a-zA-Z&&[^eE]].*")) {
                        return p;
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
                throw new IllegalArgumentException(bad + "a probability such as 0.01 or 1e-5");
            }
            case ENTRIES -> {
                if (text.matches("\\d{1,10}") && Long.parseLong(text) >= 1) {
                    return Long.parseLong(text);
                }
                throw new IllegalArgumentException(bad + "a whole number of entries, 1.." + MAX_ENTRIES);
            }
            default -> {
                Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
                if (m.matches()) {
                    int shift = m.group(2) == null ? 0 : switch (m.group(2).charAt(0)) {
                        case 'k' -> 10;
                        case 'm' -> 20;
                        case 'g' -> 30;
                        case 't' -> 40;
                        default -> 0;
                    };
                    try {
                        long n = Long.parseLong(m.group(1));
                        if (n >= 1 && n <= MAX_IOVA_SPACE >>> shift) {
                            return n << shift;
                        }
                    } catch (NumberFormatException e) {
                        // refused below
                    }
                }
                throw new IllegalArgumentException(bad + "a size such as 64MiB, a multiple of 4KiB up to 4TiB");
            }
        }
    }

    private static String format(FaultKind kind, Number value) {
        if (kind.random()) {
            return BigDecimal.valueOf(value.doubleValue()).stripTrailingZeros().toPlainString();
        }
        if (kind.value() == FaultKind.Value.ENTRIES) {
            return Long.toString(value.longValue());
        }
        long b = value.longValue();
        int unit = 0;
        while (unit < UNITS.length - 1 && b % 1024 == 0) {
            b /= 1024;
            unit++;
        }
        return b + UNITS[unit];
    }
}
