package org.iommulab.sim;

/**
 * When the kernel's timer wheel runs a timer armed with {@code mod_timer(jiffies +
 * msecs_to_jiffies(t))} (kernel/time/timer.c, v6.7): the delay is rounded up to whole jiffies,
 * and the wheel files the expiry in the level its distance falls in, rounding it up to that
 * level's granularity plus one granule so that no timer fires early. At HZ=100 a 10 ms timeout
 * therefore fires 10-20 ms after arming, and a 1 s one 1.01-1.08 s after. Jiffies count from
 * virtual time 0. With {@code hz} 0 a timer fires exactly on time (an hrtimer).
 *
 * @param hz the tick rate, {@code CONFIG_HZ}; 0 for exact timers
 */
public record TimerWheel(int hz) {

    /** Timers that fire exactly when asked: hrtimers, or a model without a tick. */
    public static final TimerWheel EXACT = new TimerWheel(0);

    /** The tick rates the kernel's Kconfig offers ({@code HZ_100} .. {@code HZ_1000}). */
    public static final int[] KCONFIG_HZ = {100, 250, 300, 1000};

    private static final long NS_PER_SEC = 1_000_000_000L;
    /** {@code LVL_CLK_SHIFT}: each level is 8 times coarser than the one below. */
    private static final int LVL_CLK_SHIFT = 3;
    /** {@code LVL_BITS}: 64 buckets per level. */
    private static final int LVL_BITS = 6;
    /** {@code LVL_DEPTH} for HZ above 100 (9 levels); at 100 the wheel has 8, the last one capping. */
    private static final int LVL_DEPTH = 9;

    public TimerWheel {
        if (hz != 0 && java.util.Arrays.stream(KCONFIG_HZ).noneMatch(h -> h == hz)) {
            throw new IllegalArgumentException("HZ " + hz + "; allowed 100, 250, 300 or 1000 (or 0 for exact timers)");
        }
    }

    /** The ns from {@code nowNs} until a timer armed now for {@code delayNs} runs. */
    public long fireDelayNs(long nowNs, long delayNs) {
        if (hz == 0) {
            return delayNs;
        }
        long jiffies = Math.multiplyExact(nowNs, (long) hz) / NS_PER_SEC;
        long delta = ceilDiv(Math.multiplyExact(delayNs, (long) hz), NS_PER_SEC);
        long expires = jiffies + delta;
        int lvl = 0;
        while (lvl < LVL_DEPTH - 1 && delta >= levelStart(lvl + 1)) {
            lvl++;
        }
        int shift = lvl * LVL_CLK_SHIFT;
        long bucket = ((expires >>> shift) + 1) << shift;
        return ceilDiv(Math.multiplyExact(bucket, NS_PER_SEC), hz) - nowNs;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** {@code LVL_START(n)}: the smallest distance filed in level {@code n}. */
    private static long levelStart(int n) {
        return ((1L << LVL_BITS) - 1) << ((n - 1) * LVL_CLK_SHIFT);
    }
}
