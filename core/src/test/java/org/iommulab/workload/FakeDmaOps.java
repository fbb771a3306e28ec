package org.iommulab.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cost;
import org.iommulab.sim.Cpu;

/**
 * A stand-in DMA layer for workload tests: hands out bus addresses from a bump allocator, spends
 * {@link Cost#DMA_MAP_CALL} per map and {@link Cost#DMA_UNMAP_CALL} per unmap, fails a chosen
 * fraction of map calls, and checks that every unmap matches a live mapping of the same size.
 * It remembers per CPU how many requests were mapped at once, and a hash of every physical
 * address and direction it mapped, for determinism tests.
 */
final class FakeDmaOps implements DmaOps {

    private final SplittableRandom failures;
    private final double failProbability;
    private final Map<Long, Long> live = new HashMap<>();
    private final int[] outstanding;
    private final int[] maxOutstanding;
    private final long[] mapsByDir = new long[DmaDirection.values().length];
    private long nextDma = 1L << 32;
    private long mapCalls;
    private long failedCalls;
    private long trace = 17;
    private long failFrom;
    private long failTo;

    FakeDmaOps(int nrCpus) {
        this(nrCpus, 0, 0);
    }

    /** Fails each map call with probability {@code failProbability}, drawn from {@code seed}. */
    FakeDmaOps(int nrCpus, double failProbability, long seed) {
        this.failures = new SplittableRandom(seed);
        this.failProbability = failProbability;
        this.outstanding = new int[nrCpus];
        this.maxOutstanding = new int[nrCpus];
    }

    @Override
    public long mapPage(Cpu cpu, Device dev, long phys, long size, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_MAP_CALL);
        if (fail()) {
            return DMA_MAPPING_ERROR;
        }
        record(cpu, phys, dir);
        return allocate(size);
    }

    @Override
    public void unmapPage(Cpu cpu, Device dev, long dmaHandle, long size, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_UNMAP_CALL);
        release(dmaHandle, size);
        outstanding[cpu.id()]--;
    }

    @Override
    public int mapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_MAP_CALL);
        if (fail()) {
            return -Errno.ENOMEM;
        }
        for (int i = 0; i < sg.nents(); i++) {
            trace = trace * 31 + sg.phys(i);
            sg.setDma(i, allocate(sg.length(i)), sg.length(i));
        }
        record(cpu, sg.phys(0), dir);
        sg.setDmaNents(sg.nents());
        return sg.nents();
    }

    @Override
    public void unmapSg(Cpu cpu, Device dev, ScatterList sg, DmaDirection dir, long attrs) {
        cpu.spend(Cost.DMA_UNMAP_CALL);
        for (int i = 0; i < sg.dmaNents(); i++) {
            release(sg.dmaAddress(i), sg.dmaLength(i));
        }
        outstanding[cpu.id()]--;
    }

    /** Map calls number {@code first} to {@code first + n - 1} (the first call is 1) fail, whatever the probability. */
    void failCalls(long first, int n) {
        failFrom = first;
        failTo = first + n;
    }

    private boolean fail() {
        mapCalls++;
        if (mapCalls >= failFrom && mapCalls < failTo) {
            failedCalls++;
            return true;
        }
        if (failProbability > 0 && failures.nextDouble() < failProbability) {
            failedCalls++;
            return true;
        }
        return false;
    }

    private void record(Cpu cpu, long phys, DmaDirection dir) {
        trace = trace * 31 + phys * 7 + dir.ordinal();
        mapsByDir[dir.ordinal()]++;
        int n = ++outstanding[cpu.id()];
        maxOutstanding[cpu.id()] = Math.max(maxOutstanding[cpu.id()], n);
    }

    private long allocate(long size) {
        long dma = nextDma;
        nextDma += (size + 4095) & ~4095L;
        live.put(dma, size);
        return dma;
    }

    private void release(long dma, long size) {
        Long mapped = live.remove(dma);
        if (mapped == null || mapped != size) {
            throw new AssertionError("unmap of " + Long.toHexString(dma) + " size " + size + " that is not mapped as such");
        }
    }

    /** Bus-address ranges mapped now. */
    int liveMappings() {
        return live.size();
    }

    /** Requests (a page or a scatterlist) mapped on {@code cpu} and not yet unmapped, at most at once. */
    int maxOutstanding(int cpu) {
        return maxOutstanding[cpu];
    }

    long mapCalls() {
        return mapCalls;
    }

    long failedCalls() {
        return failedCalls;
    }

    long maps(DmaDirection dir) {
        return mapsByDir[dir.ordinal()];
    }

    /** A hash of every successful map's physical addresses and direction, in order. */
    long trace() {
        return trace;
    }
}
