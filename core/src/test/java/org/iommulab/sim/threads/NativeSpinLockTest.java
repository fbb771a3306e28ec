package org.iommulab.sim.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NativeSpinLockTest {

    /** More threads than cores, random hold times: plain increments under the lock are never lost. */
    @Test
    void threadsTakingTheLockNeverOverlap() throws Exception {
        NativeSpinLock lock = new NativeSpinLock();
        int threads = 6;
        int rounds = 50_000;
        long[] counter = new long[1];
        int[] inside = new int[1];
        AtomicBoolean overlapped = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(t);
            Thread w = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    lock.lock(null);
                    if (++inside[0] != 1) {
                        overlapped.set(true);
                    }
                    for (int spin = random.nextInt(4); spin > 0; spin--) {
                        counter[0]++;
                        counter[0]--;
                    }
                    counter[0]++;
                    inside[0]--;
                    lock.unlock(null);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(w.isAlive()).isFalse();
        }
        assertThat(overlapped).isFalse();
        assertThat(counter[0]).isEqualTo((long) threads * rounds);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aWaiterGetsTheLockOnlyOnceItIsReleased() throws Exception {
        NativeSpinLock lock = new NativeSpinLock();
        lock.lock(null);
        CountDownLatch trying = new CountDownLatch(1);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            trying.countDown();
            lock.lock(null);
            acquired.set(true);
            lock.unlock(null);
        });
        waiter.start();
        trying.await();
        waiter.join(100); // it spins, then yields, but cannot get in
        assertThat(acquired).isFalse();
        assertThat(lock.isLocked()).isTrue();
        lock.unlock(null);
        waiter.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(acquired).isTrue();
        assertThat(lock.isLocked()).isFalse();
    }

    /** An unbalanced unlock, from a thread that does not hold the lock, is refused and leaves it held. */
    @Test
    void anUnlockByAThreadThatDoesNotHoldItThrowsAndLeavesItHeld() throws Exception {
        NativeSpinLock lock = new NativeSpinLock();
        assertThatThrownBy(() -> lock.unlock(null)).isInstanceOf(IllegalMonitorStateException.class);
        lock.lock(null);
        AtomicBoolean refused = new AtomicBoolean();
        Thread other = new Thread(() -> {
            try {
                lock.unlock(null);
            } catch (IllegalMonitorStateException e) {
                refused.set(true);
            }
        });
        other.start();
        other.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(refused).isTrue();
        assertThat(lock.isLocked()).isTrue();
        lock.unlock(null);
        assertThat(lock.isLocked()).isFalse();
    }
}
