package org.iommulab.sim;

/**
 * The engine as a workload sees it: besides the CPUs, locks and timers the kernel model uses, work
 * posted to a CPU (a kthread's next step, a completion interrupt) and device queues. Workloads are
 * written against this alone, so one fio, netperf or mapbench serves virtual time and real threads.
 */
public interface Scheduler extends Engine {

    /**
     * Runs {@code action} on CPU {@code cpuId} at {@code atNs} of the engine's clock, or as soon
     * after as that CPU is free; a time already past is taken as now.
     */
    void post(int cpuId, long atNs, TimerCallback action);

    /** A new device queue (an NVMe controller, a link) that serves one job at a time. */
    DeviceQueue newDeviceQueue(String name);

    /**
     * Whether time passes only as CPUs spend costs, as in virtual time: there, work that spends
     * nothing would keep the clock still forever.
     */
    boolean virtualTime();
}
