package org.iommulab.sim.virtual;

import java.util.Locale;
import org.iommulab.sim.Cost;
import org.iommulab.sim.CostModel;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.SpinLock;
import org.iommulab.sim.TimerCallback;

/**
 * Self-timed throughput check of {@link VirtualEngine} alone (JMH comes later): CPUs each keep
 * {@code iodepth} I/Os in flight; an I/O is a submit event (map-like costs, a per-CPU lock, a
 * device-queue reservation) and a completion event (unmap-like costs) that resubmits. Prints events
 * and simulated I/Os per wall-clock second. Run:
 * {@code java -cp core/target/classes:core/target/test-classes org.iommulab.sim.VirtualEngineBenchmark [cpus] [iodepth] [virtualMs]}.
 */
public final class VirtualEngineBenchmark {

    private static final long DEVICE_LATENCY_NS = 10_000;
    private static final long DEVICE_SLOT_NS = 100;

    private final VirtualEngine engine;
    private final SpinLock[] locks;
    private final VirtualSerialResource device;
    private final TimerCallback submit;
    private final TimerCallback complete;
    private long completed;

    private VirtualEngineBenchmark(int cpus) {
        engine = new VirtualEngine(cpus, CostModel.defaults());
        locks = new SpinLock[cpus];
        for (int i = 0; i < cpus; i++) {
            locks[i] = engine.newSpinLock("rcache" + i);
        }
        device = engine.newSerialResource("device");
        submit = this::submit;
        complete = this::complete;
    }

    private void submit(Cpu cpu) {
        cpu.spend(Cost.BLOCK_SUBMIT_COMPLETE);
        cpu.spend(Cost.DMA_MAP_CALL);
        SpinLock lock = locks[cpu.id()];
        lock.lock(cpu);
        cpu.spend(Cost.IOVA_RCACHE_OP);
        lock.unlock(cpu);
        cpu.spend(Cost.PTE_WRITE, 2);
        long start = device.reserve(cpu.nowNs(), DEVICE_SLOT_NS);
        engine.post(cpu.id(), start + DEVICE_LATENCY_NS, complete);
    }

    private void complete(Cpu cpu) {
        cpu.spend(Cost.DMA_UNMAP_CALL);
        cpu.spend(Cost.PTE_WRITE, 2);
        completed++;
        engine.post(cpu.id(), cpu.nowNs(), submit);
    }

    private void start(int iodepth) {
        for (int c = 0; c < engine.nrCpus(); c++) {
            for (int d = 0; d < iodepth; d++) {
                engine.post(c, d, submit);
            }
        }
    }

    public static void main(String[] args) {
        int cpus = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int iodepth = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        long virtualMs = args.length > 2 ? Long.parseLong(args[2]) : 2_000;
        for (int round = 0; round < 3; round++) {
            VirtualEngineBenchmark b = new VirtualEngineBenchmark(cpus);
            b.start(iodepth);
            long t0 = System.nanoTime();
            b.engine.runUntil(virtualMs * 1_000_000);
            double wallS = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT,
                    "round %d: %d cpus, iodepth %d, %d virtual ms: %d events, %d I/Os in %.2f s wall:"
                            + " %.2f M events/s, %.2f M I/Os/s%n",
                    round, cpus, iodepth, virtualMs, b.engine.eventsRun(), b.completed, wallS,
                    b.engine.eventsRun() / wallS / 1e6, b.completed / wallS / 1e6);
        }
    }
}
