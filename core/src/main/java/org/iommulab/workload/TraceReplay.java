package org.iommulab.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.iommulab.kernel.Device;
import org.iommulab.kernel.DmaDirection;
import org.iommulab.kernel.DmaOps;
import org.iommulab.kernel.ScatterList;
import org.iommulab.sim.Cpu;
import org.iommulab.sim.Scheduler;
import org.iommulab.trace.CaptureEvents;
import org.iommulab.trace.TraceEvent;

/**
 * A capture's DMA replayed through the model: each {@code dma:*} map of one device is a
 * {@code dma_map_page} (or {@code dma_map_sg}) at the capture's time (relative to its first event)
 * on the capture's CPU, and its unmap a {@code dma_unmap_page} of the address the model gave (or
 * the {@code dma_unmap_sg} of the same physical segments), so the platform and policy
 * beneath decide what the capture's pattern costs. The capture is read as the replay goes, so memory
 * follows the live mappings, not the capture's length.
 *
 * <p>An I/O is a map and its unmap: it counts when the unmap is replayed, with the time between them
 * as its latency, or when the map fails. Unmaps of addresses the replay has not mapped (the capture
 * began after the map, or a misuse {@code replay} reports) are passed over and counted; mappings the
 * capture never unmaps stay mapped. Buffers are placed at physical addresses derived from the
 * capture's DMA addresses (its physical addresses do not change what the model charges). The
 * device touches each mapped page once when it is mapped (its DMA, which the capture does not
 * show), and a fault of the capture on an address unmapped before is made again in the model: it
 * reaches the old page if the policy has not invalidated its cached translation yet ({@link #notes}).
 *
 * <p>A capture of the IOMMU API level only ({@code iommu:map} and {@code unmap}, the device
 * {@link TraceEvent#IOMMU_STREAM}) replays the same way: each map a {@code dma_map_page} of its
 * size, each unmap an unmap of every replayed map inside its range; the mappings are the
 * capture's, and the policy beneath decides when they are invalidated.
 */
public final class TraceReplay extends AbstractWorkload {

    private static final long PHYS_MASK = (1L << 34) - 1;

    private record Live(long iova, long size, DmaDirection dir, long mappedNs) {}

    private record LiveSg(ScatterList sg, long bytes, DmaDirection dir, long mappedNs, List<Long> traceAddrs) {}

    private record Unmapped(long iova, long size, long unmappedNs, long line) {}

    private final ReplayOptions options;
    private final IoCounters counters = new IoCounters();
    private final TreeMap<Long, Live> live = new TreeMap<>();
    /** Each capture address last unmapped: where the model had it, and when it was unmapped. */
    private final TreeMap<Long, Unmapped> unmapped = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<List<Long>, LiveSg> liveSg = new HashMap<>();
    private Scheduler engine;
    private Device dev;
    private CaptureEvents events;
    private long firstNs = -1;
    private long unmatchedUnmaps;
    /** IOMMU-level unmaps that covered several maps, each replayed as an unmap of its own. */
    private long rangeUnmaps;

    public TraceReplay(ReplayOptions options) {
        super("replay");
        this.options = options;
    }

    @Override
    protected void begin(Scheduler engine, Device... devices) {
        this.engine = engine;
        this.dev = devices[0];
        dev.setDmaMaskBits(64);
        try {
            events = CaptureEvents.open(Path.of(options.trace()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postNext();
    }

    /**
     * Posts the device's next map or unmap at its time in the capture, on its CPU (which runs it
     * then, or when it gets free), or closes the capture at its end.
     */
    private void postNext() {
        for (TraceEvent e = events.next(); e != null; e = events.next()) {
            if (!options.device().equals(e.device())) {
                continue;
            }
            if (firstNs < 0) {
                firstNs = e.timeNs();
            }
            TraceEvent event = e;
            int cpu = Math.max(0, e.cpu()) % engine.nrCpus();
            engine.post(cpu, e.timeNs() - firstNs, c -> replay(c, event));
            return;
        }
        try {
            events.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replay(Cpu cpu, TraceEvent e) {
        if (stop.stopped()) {
            return;
        }
        if (e instanceof TraceEvent.DmaMap m) {
            DmaDirection dir = direction(m.dir());
            long iova = dev.dmaOps().mapPage(cpu, dev, m.dmaAddr() & PHYS_MASK, m.size(), dir, 0);
            if (iova == DmaOps.DMA_MAPPING_ERROR) {
                counters.submit();
                counters.mapError();
                counters.failMapping();
            } else {
                live.put(m.dmaAddr(), new Live(iova, m.size(), dir, cpu.nowNs()));
                touch(iova, m.size(), dir);
            }
        } else if (e instanceof TraceEvent.IommuMap m) {
            long iova = dev.dmaOps().mapPage(cpu, dev, m.iova() & PHYS_MASK, m.size(), DmaDirection.BIDIRECTIONAL, 0);
            if (iova == DmaOps.DMA_MAPPING_ERROR) {
                counters.submit();
                counters.mapError();
                counters.failMapping();
            } else {
                live.put(m.iova(), new Live(iova, m.size(), DmaDirection.BIDIRECTIONAL, cpu.nowNs()));
                touch(iova, m.size(), DmaDirection.BIDIRECTIONAL);
            }
        } else if (e instanceof TraceEvent.IommuUnmap u) {
            List<Long> inside = new ArrayList<>(live.subMap(u.iova(), true, u.iova() + u.size() - 1, true).keySet());
            if (inside.isEmpty()) {
                unmatchedUnmaps++;
            } else if (inside.size() > 1) {
                rangeUnmaps++;
            }
            for (long addr : inside) {
                Live l = live.remove(addr);
                unmapped.put(addr, new Unmapped(l.iova(), l.size(), cpu.nowNs(), u.line()));
                dev.dmaOps().unmapPage(cpu, dev, l.iova(), l.size(), l.dir(), 0);
                counters.submit();
                counters.complete(l.size(), cpu.nowNs() - l.mappedNs());
            }
        } else if (e instanceof TraceEvent.IoPageFault f) {
            accessAfterUnmap(cpu, f);
        } else if (e instanceof TraceEvent.DmaMapSg m) {
            mapSg(cpu, m);
        } else if (e instanceof TraceEvent.DmaUnmapSg u) {
            LiveSg l = liveSg.remove(u.physAddrs());
            if (l == null) {
                unmatchedUnmaps++;
            } else {
                for (int i = 0; i < Math.min(l.sg().dmaNents(), l.traceAddrs().size()); i++) {
                    unmapped.put(l.traceAddrs().get(i), new Unmapped(l.sg().dmaAddress(i), l.sg().dmaLength(i),
                            cpu.nowNs(), u.line()));
                }
                dev.dmaOps().unmapSg(cpu, dev, l.sg(), l.dir(), 0);
                counters.submit();
                counters.complete(l.bytes(), cpu.nowNs() - l.mappedNs());
            }
        } else if (e instanceof TraceEvent.DmaUnmap u) {
            Live l = live.remove(u.dmaAddr());
            if (l == null) {
                unmatchedUnmaps++;
            } else {
                unmapped.put(u.dmaAddr(), new Unmapped(l.iova(), l.size(), cpu.nowNs(), u.line()));
                dev.dmaOps().unmapPage(cpu, dev, l.iova(), l.size(), l.dir(), 0);
                counters.submit();
                counters.complete(l.size(), cpu.nowNs() - l.mappedNs());
            }
        }
        postNext();
    }

    /**
     * A scatter-gather map: the event gives the physical segments but not their lengths, so each
     * runs to the end of its page, the last taking what is left of the mapping's bytes.
     */
    private void mapSg(Cpu cpu, TraceEvent.DmaMapSg m) {
        List<Long> phys = m.physAddrs();
        ScatterList sg = new ScatterList(phys.size());
        long left = m.bytes();
        for (int i = 0; i < phys.size() && left > 0; i++) {
            long p = phys.get(i) & PHYS_MASK;
            long len = i == phys.size() - 1 ? left : Math.min(left, RandomPages.PAGE_SIZE - (p & (RandomPages.PAGE_SIZE - 1)));
            sg.add(p, (int) Math.min(len, Integer.MAX_VALUE));
            left -= len;
        }
        DmaDirection dir = direction(m.dir());
        if (dev.dmaOps().mapSg(cpu, dev, sg, dir, 0) <= 0) {
            counters.submit();
            counters.mapError();
            counters.failMapping();
        } else {
            liveSg.put(phys, new LiveSg(sg, m.bytes(), dir, cpu.nowNs(), m.dmaAddrs()));
            for (int i = 0; i < sg.dmaNents(); i++) {
                touch(sg.dmaAddress(i), sg.dmaLength(i), dir);
            }
        }
    }

    /**
     * The device's DMA into a mapped buffer, each page once, as it happened between the capture's
     * map and unmap: it leaves the translations in the device's IOTLB, where an invalidation that
     * has not come yet leaves them reachable.
     */
    private void touch(long iova, long size, DmaDirection dir) {
        long page = RandomPages.PAGE_SIZE;
        for (long a = iova & -page; a < iova + size; a += page) {
            dev.translation().translate(a, dir.deviceWrites());
        }
    }

    /**
     * The capture's device faulted on an address it had unmapped: the same access made now in the
     * model, through the device's translation, either still reaches the page (the policy had not
     * invalidated it yet) or faults. One note per such access says which.
     */
    private void accessAfterUnmap(Cpu cpu, TraceEvent.IoPageFault f) {
        Map.Entry<Long, Unmapped> e = unmapped.floorEntry(f.iova());
        if (e == null || f.iova() - e.getKey() >= Math.max(1, e.getValue().size())) {
            return;
        }
        Unmapped u = e.getValue();
        boolean reached = dev.translation().translate(u.iova() + (f.iova() - e.getKey()), f.write()) >= 0;
        notes.add(String.format(Locale.ROOT, "the access after unmap at line %d (%.3f ms after the unmap at line %d"
                + " in the model) %s", f.line(), (cpu.nowNs() - u.unmappedNs()) / 1e6, u.line(),
                reached ? "would still have reached the unmapped page" : "faulted"));
    }

    /**
     * Whether each access after unmap in the capture reached its page in the model, and what the
     * replay passed over: unmaps of addresses it had not mapped, mappings the capture never unmaps.
     */
    @Override
    public List<String> notes() {
        List<String> out = new ArrayList<>(notes);
        if (unmatchedUnmaps > 0) {
            out.add(unmatchedUnmaps + " unmaps of addresses the replay had not mapped (mapped before the capture"
                    + " began, or a misuse) were passed over");
        }
        if (rangeUnmaps > 0) {
            out.add(rangeUnmaps + " iommu:unmap events covered several iommu:map events; each map was replayed with an"
                    + " unmap of its own, so strict policies invalidate more often here than the capture did");
        }
        if (!live.isEmpty() || !liveSg.isEmpty()) {
            out.add((live.size() + liveSg.size()) + " mappings the capture never unmaps stayed mapped");
        }
        return out;
    }

    private static DmaDirection direction(String dir) {
        try {
            return DmaDirection.valueOf(dir.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return DmaDirection.BIDIRECTIONAL;
        }
    }

    @Override
    public long inFlight() {
        return counters.inFlight();
    }

    /** Every I/O ends at its unmap or its failed map, so none is ever in flight. */
    @Override
    public IoResult result() {
        return counters.snapshot(0);
    }
}
