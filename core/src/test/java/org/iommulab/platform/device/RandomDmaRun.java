package org.iommulab.platform.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.iommulab.dma.IommuDmaOps;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.sim.manual.ManualEngine;

/**
 * A test fixture for any platform: CPUs map and unmap buffers through dma-iommu at random, the
 * device uses each buffer just before it is unmapped (so an IOTLB holds it), and time moves so
 * flush timers fire. After every step it checks that the device reaches every mapped page at its
 * physical address (writes only where the direction lets the device write) and no page after the
 * flush that covers its unmap: strict mode's own flush, or a later flush-queue flush. A fault is
 * any negative translation.
 */
public final class RandomDmaRun {

    /** How the device translates one access: the physical address, or a negative fault. */
    public interface Translator {
        long translate(long iova, boolean write);
    }

    private static final long PAGE = 4096;
    private static final DmaDirection[] DIRS = {DmaDirection.BIDIRECTIONAL, DmaDirection.TO_DEVICE, DmaDirection.FROM_DEVICE};

    /** {@code flushesAtUnmap} is the flush-queue flush count when the buffer was unmapped, -1 while mapped. */
    private record Buffer(long handle, long phys, long size, DmaDirection dir, long flushesAtUnmap) {
        long firstPage() {
            return handle & -PAGE;
        }

        long pages() {
            return (((handle + size - 1) & -PAGE) - firstPage()) / PAGE + 1;
        }

        boolean holds(long page) {
            return page >= firstPage() && page < firstPage() + pages() * PAGE;
        }
    }

    private final ManualEngine engine;
    private final Device dev;
    private final IommuDmaOps ops;
    private final Translator device;
    private final boolean strict;
    private final SplittableRandom rnd;
    private final List<Buffer> mapped = new ArrayList<>();
    private final List<Buffer> unmapped = new ArrayList<>();
    private long nextPhys = 0x8_0000_0000L;
    private long pagesMapped;

    public RandomDmaRun(ManualEngine engine, Device dev, IommuDmaOps ops, Translator device, boolean strict, long seed) {
        this.engine = engine;
        this.dev = dev;
        this.ops = ops;
        this.device = device;
        this.strict = strict;
        this.rnd = new SplittableRandom(seed);
    }

    /**
     * Runs {@code steps} random steps on the engine's CPUs, checking after each.
     *
     * @param longWaitNs the wait that now and then lets the flush timer fire
     */
    public void run(int steps, long longWaitNs) {
        for (int step = 0; step < steps; step++) {
            int op = rnd.nextInt(10);
            if (op < 4 && mapped.size() < 40 || mapped.isEmpty()) {
                map();
            } else if (op < 8) {
                unmap();
            } else {
                engine.advanceBy(rnd.nextInt(20) == 0 ? longWaitNs : rnd.nextLong(1, 300_000));
            }
            check();
            if (unmapped.size() > 64) {
                unmapped.remove(0);
            }
        }
    }

    /** Lets {@code ns} pass, so every queued unmap is flushed, and checks again. */
    public void drain(long ns) {
        engine.advanceBy(ns);
        check();
    }

    /** Pages mapped over the whole run. */
    public long pagesMapped() {
        return pagesMapped;
    }

    /** Pages mapped now. */
    public long pagesLive() {
        return mapped.stream().mapToLong(Buffer::pages).sum();
    }

    private void map() {
        long size = rnd.nextLong(1, 5 * PAGE);
        long phys = nextPhys + rnd.nextLong(PAGE);
        DmaDirection dir = DIRS[rnd.nextInt(DIRS.length)];
        long handle = ops.mapPage(engine.cpu(rnd.nextInt(engine.nrCpus())), dev, phys, size, dir, 0);
        assertThat(handle).isNotEqualTo(DmaOps.DMA_MAPPING_ERROR);
        Buffer b = new Buffer(handle, phys, size, dir, -1);
        mapped.add(b);
        pagesMapped += b.pages();
        nextPhys += 8 * PAGE;
    }

    private void unmap() {
        Buffer b = mapped.remove(rnd.nextInt(mapped.size()));
        device.translate(b.handle(), false);
        ops.unmapPage(engine.cpu(rnd.nextInt(engine.nrCpus())), dev, b.handle(), b.size(), b.dir(), 0);
        unmapped.add(new Buffer(b.handle(), b.phys(), b.size(), b.dir(), ops.counters().fqFlushes()));
    }

    private void check() {
        long flushes = ops.counters().fqFlushes();
        for (Buffer b : mapped) {
            for (long off = 0; off < b.size(); off += PAGE) {
                long at = b.handle() + off;
                long read = device.translate(at, false);
                if (b.dir() != DmaDirection.FROM_DEVICE || read >= 0) {
                    assertThat(read).as("read 0x%x", at).isEqualTo(b.phys() + off);
                }
                long write = device.translate(at, true);
                if (b.dir().deviceWrites()) {
                    assertThat(write).as("write 0x%x", at).isEqualTo(b.phys() + off);
                } else {
                    assertThat(write).as("write 0x%x", at).isNegative();
                }
            }
        }
        for (Buffer b : unmapped) {
            if (!covered(b, flushes)) {
                continue; // no flush since its unmap: the device may still reach it
            }
            for (long i = 0; i < b.pages(); i++) {
                long page = b.firstPage() + i * PAGE;
                long got = device.translate(page, false);
                assertThat(got).as("page 0x%x after the flush covering its unmap", page)
                        .isNotEqualTo((b.phys() & -PAGE) + i * PAGE);
                if (!heldByNewer(flushes, b, page)) {
                    assertThat(got).as("unmapped and flushed page 0x%x", page).isNegative();
                }
            }
        }
    }

    private boolean covered(Buffer b, long flushes) {
        return strict || flushes > b.flushesAtUnmap();
    }

    /** A live buffer, or an unmapped one whose flush is still pending, holds {@code page} now. */
    private boolean heldByNewer(long flushes, Buffer b, long page) {
        return mapped.stream().anyMatch(o -> o.holds(page))
                || unmapped.stream().anyMatch(o -> o != b && !covered(o, flushes) && o.holds(page));
    }
}
