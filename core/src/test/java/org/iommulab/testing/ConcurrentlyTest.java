package org.iommulab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {

    @Test
    void everyTaskRunsOnItsOwnThreadAtOnce() throws Exception {
        CyclicBarrier all = new CyclicBarrier(4);
        AtomicIntegerArray ran = new AtomicIntegerArray(4);
        Concurrently.run(4, i -> {
            all.await(); // only returns when all four run at the same time
            ran.incrementAndGet(i);
        });
        assertThat(ran.toString()).isEqualTo("[1, 1, 1, 1]");
    }

    @Test
    void aFailureFailsTheCallerAndReleasesTheOthers() {
        CyclicBarrier neverComplete = new CyclicBarrier(3);
        assertThatThrownBy(() -> Concurrently.run(3, i -> {
            if (i == 1) {
                throw new IllegalStateException("thread 1 broke");
            }
            neverComplete.await();
        })).isInstanceOf(IllegalStateException.class).hasMessage("thread 1 broke");
    }
}
