package org.iommulab.sim;

/** What a {@link KTimer} runs when it expires, on the given CPU. */
@FunctionalInterface
public interface TimerCallback {

    void run(Cpu cpu);
}
