package org.iommulab.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FaultAttrTest {

    private static List<Boolean> draws(FaultAttr a, int n) {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(a.shouldFail());
        }
        return out;
    }

    @Test
    void theSameSeedFailsTheSameCallsAndAnotherSeedOthers() {
        assertThat(draws(new FaultAttr(0.3, 42), 1000)).isEqualTo(draws(new FaultAttr(0.3, 42), 1000));
        assertThat(draws(new FaultAttr(0.3, 42), 1000)).isNotEqualTo(draws(new FaultAttr(0.3, 43), 1000));
    }

    @Test
    void failsAboutAsOftenAsItsProbabilityAndCountsWhatItInjected() {
        for (double p : new double[] {0.001, 0.05, 0.5, 0.9}) {
            FaultAttr a = new FaultAttr(p, 7);
            long failed = draws(a, 200_000).stream().filter(b -> b).count();
            assertThat(failed / 200_000.0).as("p=%s", p).isCloseTo(p, within(0.01 + p * 0.1));
            assertThat(a.injected()).isEqualTo(failed);
        }
    }

    @Test
    void zeroNeverFailsAndOneAlwaysDoes() {
        assertThat(draws(FaultAttr.NEVER, 1000)).containsOnly(false);
        assertThat(FaultAttr.NEVER.injected()).isZero();
        FaultAttr always = new FaultAttr(1, 3);
        assertThat(draws(always, 1000)).containsOnly(true);
        assertThat(always.injected()).isEqualTo(1000);
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new FaultAttr(1.01, 0)).hasMessage("fault probability 1.01; allowed 0..1");
        assertThatThrownBy(() -> new FaultAttr(Double.NaN, 0)).hasMessage("fault probability NaN; allowed 0..1");
    }

    @Test
    void threadsSharingAnAttributeLoseNoCall() throws InterruptedException {
        FaultAttr a = new FaultAttr(0.25, 11);
        AtomicLong failed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    if (a.shouldFail()) {
                        failed.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(a.injected()).isEqualTo(failed.get());
        // the 200,000 calls were the stream's first 200,000 draws, whatever order the threads took them in
        assertThat(a.injected()).isEqualTo(draws(new FaultAttr(0.25, 11), 200_000).stream().filter(b -> b).count());
    }
}
