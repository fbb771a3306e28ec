package org.iommulab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimerWheelTest {

    private static final long MS = 1_000_000L;
    private final TimerWheel hz100 = new TimerWheel(100);

    @Test
    void tenMillisecondsAtHz100FireAtTheSecondTickBoundaryAfterArming() {
        assertThat(hz100.fireDelayNs(0, 10 * MS)).isEqualTo(20 * MS);
        assertThat(hz100.fireDelayNs(9 * MS, 10 * MS)).isEqualTo(11 * MS);
        assertThat(hz100.fireDelayNs(10 * MS, 10 * MS)).isEqualTo(20 * MS);
    }

    @Test
    void oneSecondAtHz100IsFiledInTheSecondLevelAndRoundedToItsEightJiffies() {
        assertThat(hz100.fireDelayNs(0, 1000 * MS)).isEqualTo(1040 * MS);
        assertThat(hz100.fireDelayNs(40 * MS, 1000 * MS)).isEqualTo(1080 * MS);
        assertThat(hz100.fireDelayNs(75 * MS, 1000 * MS)).isEqualTo(1045 * MS);
    }

    @Test
    void aTimerNeverFiresEarlyAndAtMostOneGranuleOfItsLevelPlusATickLate() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int hz : TimerWheel.KCONFIG_HZ) {
            TimerWheel wheel = new TimerWheel(hz);
            long tick = 1_000_000_000L / hz;
            for (int i = 0; i < 10_000; i++) {
                long now = rnd.nextLong(3_600_000 * MS);
                long delay = rnd.nextLong(5000 * MS);
                long fire = wheel.fireDelayNs(now, delay);
                long ticks = delay / tick + 1;
                long granule = ticks < 63 ? 1 : ticks < 504 ? 8 : ticks < 4032 ? 64 : 512;
                assertThat(fire).as("HZ %d now %d delay %d", hz, now, delay)
                        .isGreaterThanOrEqualTo(delay).isLessThanOrEqualTo(delay + (granule + 2) * tick);
            }
        }
    }

    @Test
    void exactTimersFireWhenAskedAndOnlyKconfigRatesAreAccepted() {
        assertThat(TimerWheel.EXACT.fireDelayNs(123, 10 * MS)).isEqualTo(10 * MS);
        assertThatThrownBy(() -> new TimerWheel(200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HZ 200; allowed 100, 250, 300 or 1000 (or 0 for exact timers)");
    }
}
