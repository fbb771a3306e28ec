package org.iommulab.nativebench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.iommulab.iommu.DomainGeometry;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.Errno;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;

/**
 * One stress thread: a driver on its own CPU that maps buffers of 1 to {@link #MAX_PAGES} pages
 * with {@code map_page} or {@code map_sg} in random directions, keeps a few live while the device
 * uses them, spins random delays, and unmaps them in random order, checking every step:
 * <ul>
 *   <li>a map succeeds or fails with {@code DMA_MAPPING_ERROR} / a negative errno, never 0 segments
 *       nor an exception;
 *   <li>its IOVA pages lie inside the aperture and the device's DMA mask, and no other live
 *       mapping holds any of them;
 *   <li>the device reaches each of its pages at the buffer's own physical page;
 *   <li>once the flush covering an unmap has completed, the device no longer reaches any of the
 *       buffer's physical pages through its old IOVAs.
 * </ul>
 * Every buffer's physical pages are new (each thread walks its own region upwards), so reaching
 * one of them through a stale IOVA can only be a leftover translation. Where the platform refused a
 * flush or a map ({@link StressTarget#refusedFlushes}), the unmaps it may have covered are not
 * checked, and a live mapping that reaches the wrong page through an IOVA one of them left behind
 * ({@link LostFlushes}), or whose own map the platform refused, is counted apart: the platform's
 * failure, which the guest cannot see, not the DMA layer's.
 */
final class StressWorker implements Runnable {

    static final int MAX_PAGES = 64;
    /** Buffers of the drain: 4 MiB, so the old scheme's allocator wraps a 1 GiB aperture in 256 maps. */
    static final int DRAIN_PAGES = 1024;
    private static final long PAGE = 4096;
    private static final int MAX_SEGMENTS = 8;
    private static final int MAX_LIVE = 6;
    /** Unmaps waiting for their flush beyond this many are dropped unchecked, oldest first. */
    private static final int MAX_PENDING = 512;
    private static final long MAX_DELAY_NS = 20_000;
    /** Physical address bits every platform's tables can hold (x86 PTEs: 52). */
    private static final int PHYS_BITS = 52;
    /** Steps every worker takes however short the run, so that each run checks something. */
    private static final int MIN_STEPS = 64;
    private static final DmaDirection[] DIRS = {DmaDirection.BIDIRECTIONAL, DmaDirection.TO_DEVICE,
        DmaDirection.FROM_DEVICE};

    /** A live buffer: its IOVA pages and, at the same index, the physical page each must reach. */
    private static final class Mapping {
        final long id;
        final DmaDirection dir;
        final long[] iovaPages;
        final long[] physPages;
        final int pages;
        final ScatterList sg;
        final long handle;
        final long size;

        Mapping(long id, DmaDirection dir, long[] iovaPages, long[] physPages, int pages, ScatterList sg, long handle,
                long size) {
            this.id = id;
            this.dir = dir;
            this.iovaPages = iovaPages;
            this.physPages = physPages;
            this.pages = pages;
            this.sg = sg;
            this.handle = handle;
            this.size = size;
        }
    }

    /** An unmapped buffer waiting for the flush that covers it. */
    private record Pending(Mapping m, long clock, long refused) {}

    private final Cpu cpu;
    private final StressTarget target;
    private final LiveIovas live;
    private final LostFlushes lost;
    private final Violations violations;
    private final SplittableRandom rnd;
    private final long deadline;
    private final long drainDeadline;
    private boolean draining;
    private final List<Mapping> mine = new ArrayList<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Map<String, Long> mapErrors = new TreeMap<>();
    private long physCursor;
    private final long physLimit;
    private long nextId;
    long maps;
    long sgMaps;
    long unmaps;
    long staleChecks;
    long unchecked;
    long refusalHits;

    /**
     * @param nrCpus the workers in the run, which share out the physical address space
     * @param deadline when traffic stops
     * @param drainDeadline how long after it the worker may go on driving traffic so that the flushes
     *     covering its last unmaps happen
     */
    StressWorker(Cpu cpu, int nrCpus, StressTarget target, LiveIovas live, LostFlushes lost, Violations violations,
            long seed, long deadline, long drainDeadline) {
        this.cpu = cpu;
        this.target = target;
        this.live = live;
        this.lost = lost;
        this.violations = violations;
        this.rnd = new SplittableRandom(seed);
        this.deadline = deadline;
        this.drainDeadline = drainDeadline;
        int regionBits = PHYS_BITS - (64 - Long.numberOfLeadingZeros(nrCpus));
        this.physCursor = (cpu.id() + 1L) << regionBits;
        this.physLimit = physCursor + (1L << regionBits);
        this.nextId = (long) cpu.id() << 40;
    }

    Map<String, Long> mapErrors() {
        return mapErrors;
    }

    @Override
    public void run() {
        int step = 0;
        while ((step < MIN_STEPS || System.nanoTime() < deadline) && roomFor(MAX_PAGES)) {
            if (mine.isEmpty() || mine.size() < MAX_LIVE && rnd.nextBoolean()) {
                map(rnd.nextInt(1, MAX_PAGES + 1));
            } else {
                unmap(mine.remove(rnd.nextInt(mine.size())));
            }
            if (rnd.nextInt(8) == 0) {
                busyWait(rnd.nextLong(MAX_DELAY_NS));
            }
            if (++step % 8 == 0) {
                sweep();
            }
            cpu.runSoftirqs();
        }
        while (!mine.isEmpty()) {
            unmap(mine.remove(mine.size() - 1));
        }
        drain();
        unchecked += pending.size();
    }

    /**
     * Keeps mapping and unmapping, without following these unmaps, until every unmap of the run
     * proper is covered or the drain time is up: lazy invalidation needs traffic or time to flush
     * (the old scheme's wrap comes only from allocations, hence large buffers).
     */
    private void drain() {
        draining = true;
        sweep();
        while (!pending.isEmpty() && System.nanoTime() < drainDeadline && roomFor(DRAIN_PAGES)) {
            map(DRAIN_PAGES);
            while (!mine.isEmpty()) {
                unmap(mine.remove(mine.size() - 1));
            }
            sweep();
            cpu.runSoftirqs();
        }
    }

    private void map(int pages) {
        DmaDirection dir = DIRS[rnd.nextInt(DIRS.length)];
        Device dev = target.dev();
        long id = nextId++;
        long[] phys = new long[pages];
        long refused = target.refusedFlushes().getAsLong();
        Mapping m;
        try {
            m = rnd.nextBoolean() ? mapPage(dev, id, dir, pages, phys) : mapSg(dev, id, dir, pages, phys);
        } catch (RuntimeException e) {
            violations.report(target.name() + ": map of " + pages + " pages threw " + e);
            return;
        }
        if (m == null) {
            return;
        }
        checkPlacement(m);
        long conflict = live.claim(m.iovaPages, m.pages, m.id);
        if (conflict != LiveIovas.NONE) {
            violations.report(String.format("%s: IOVA 0x%x handed out again while another mapping holds it",
                    target.name(), conflict));
        }
        mine.add(m);
        // the drain's large buffers only push the allocator along: their first and last pages suffice
        int stride = draining ? Math.max(1, m.pages - 1) : 1;
        long refusedNow = target.refusedFlushes().getAsLong();
        boolean mapRefused = refused != refusedNow;
        for (int i = 0; i < m.pages; i += stride) {
            long got = target.device().translate(m.iovaPages[i], m.dir.deviceWrites());
            if (got != m.physPages[i] && (mapRefused || lost.explains(m.iovaPages[i], refusedNow))) {
                refusalHits++;
            } else if (got != m.physPages[i]) {
                violations.report(String.format("%s: live IOVA 0x%x reaches 0x%x, not its buffer's page 0x%x",
                        target.name(), m.iovaPages[i], got, m.physPages[i]));
            }
        }
    }

    private Mapping mapPage(Device dev, long id, DmaDirection dir, int pages, long[] phys) {
        long base = newPhys(pages);
        long size = pages * PAGE - rnd.nextLong(PAGE);
        long handle = dev.dmaOps().mapPage(cpu, dev, base, size, dir, 0);
        if (handle == DmaOps.DMA_MAPPING_ERROR) {
            mapErrors.merge("DMA_MAPPING_ERROR", 1L, Long::sum);
            return null;
        }
        maps++;
        long[] iova = new long[pages];
        for (int i = 0; i < pages; i++) {
            iova[i] = (handle & -PAGE) + i * PAGE;
            phys[i] = base + i * PAGE;
        }
        return new Mapping(id, dir, iova, phys, pages, null, handle, size);
    }

    private Mapping mapSg(Device dev, long id, DmaDirection dir, int pages, long[] phys) {
        ScatterList sg = new ScatterList(MAX_SEGMENTS);
        int left = pages;
        int at = 0;
        while (left > 0) {
            int seg = sg.nents() == MAX_SEGMENTS - 1 ? left : rnd.nextInt(1, left + 1);
            long base = newPhys(seg);
            sg.add(base, (int) (seg * PAGE));
            for (int i = 0; i < seg; i++) {
                phys[at++] = base + i * PAGE;
            }
            left -= seg;
        }
        int ret = dev.dmaOps().mapSg(cpu, dev, sg, dir, 0);
        if (ret < 0) {
            mapErrors.merge(Errno.name(ret), 1L, Long::sum);
            return null;
        }
        if (ret == 0) {
            violations.report(target.name() + ": map_sg returned 0, neither segments nor an errno");
            return null;
        }
        sgMaps++;
        long[] iova = new long[pages];
        int n = 0;
        for (int i = 0; i < ret; i++) {
            for (long p = sg.dmaAddress(i) & -PAGE; p < sg.dmaAddress(i) + sg.dmaLength(i); p += PAGE) {
                if (n < pages) {
                    iova[n] = p;
                }
                n++;
            }
        }
        if (n != pages) {
            violations.report(String.format("%s: map_sg of %d pages gave %d pages of DMA segments",
                    target.name(), pages, n));
        }
        return new Mapping(id, dir, iova, phys, Math.min(n, pages), sg, 0, 0);
    }

    private void checkPlacement(Mapping m) {
        DomainGeometry a = target.aperture();
        long mask = target.dev().dmaMask();
        for (int i = 0; i < m.pages; i++) {
            long first = m.iovaPages[i];
            long last = first + PAGE - 1;
            if (Long.compareUnsigned(first, a.apertureStart()) < 0 || Long.compareUnsigned(last, a.apertureEnd()) > 0
                    || Long.compareUnsigned(last, mask) > 0) {
                violations.report(String.format("%s: IOVA page 0x%x outside the aperture [0x%x, 0x%x] or mask 0x%x",
                        target.name(), first, a.apertureStart(), a.apertureEnd(), mask));
                return;
            }
        }
    }

    private void unmap(Mapping m) {
        Device dev = target.dev();
        live.release(m.iovaPages, m.pages, m.id);
        // before the call: a strict unmap's own flush may be the one the platform refuses
        long refused = target.refusedFlushes().getAsLong();
        lost.unmapping(m.iovaPages, m.pages, refused);
        try {
            if (m.sg != null) {
                dev.dmaOps().unmapSg(cpu, dev, m.sg, m.dir, 0);
            } else {
                dev.dmaOps().unmapPage(cpu, dev, m.handle, m.size, m.dir, 0);
            }
        } catch (RuntimeException e) {
            violations.report(target.name() + ": unmap threw " + e);
            return;
        }
        unmaps++;
        if (draining) {
            return;
        }
        Pending p = new Pending(m, target.clock().snapshot(), refused);
        if (target.clock().covers(p.clock())) {
            checkUnreachable(p);
            return;
        }
        pending.add(p);
        if (pending.size() > MAX_PENDING) {
            Pending dropped = pending.poll();
            if (dropped.refused() != target.refusedFlushes().getAsLong()) {
                lost.record(dropped.m().iovaPages, dropped.m().pages);
            }
            unchecked++;
        }
    }

    /** Checks, oldest first, every unmap whose covering flush has completed by now. */
    private void sweep() {
        while (!pending.isEmpty() && target.clock().covers(pending.peek().clock())) {
            checkUnreachable(pending.poll());
        }
    }

    private void checkUnreachable(Pending p) {
        if (p.refused() != target.refusedFlushes().getAsLong()) {
            lost.record(p.m().iovaPages, p.m().pages);
            unchecked++;
            return;
        }
        Mapping m = p.m();
        for (int i = 0; i < m.pages; i++) {
            long got = target.device().translate(m.iovaPages[i], m.dir.deviceWrites());
            staleChecks++;
            if (got == m.physPages[i]) {
                violations.report(String.format("%s: IOVA 0x%x still reaches page 0x%x after the flush covering its"
                        + " unmap", target.name(), m.iovaPages[i], got));
            }
        }
    }

    /**
     * Whether this worker's region of physical addresses still has new pages for a buffer of
     * {@code pages}; a worker that used them all stops early rather than reuse one.
     */
    private boolean roomFor(int pages) {
        return physLimit - physCursor > (pages + MAX_SEGMENTS) * PAGE;
    }

    /** {@code pages} physical pages nobody used before, with a gap so no two buffers touch. */
    private long newPhys(int pages) {
        long base = physCursor;
        physCursor += (pages + 1) * PAGE;
        return base;
    }

    /** {@code ndelay}: spins, keeping the CPU busy as a driver waiting on its device does. */
    private static void busyWait(long ns) {
        long until = System.nanoTime() + ns;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
